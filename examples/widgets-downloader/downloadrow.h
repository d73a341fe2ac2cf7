// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtCore/QTimer>
#include <QtCore/QUrl>

#include <memory>

QT_BEGIN_NAMESPACE
class QProgressBar;
class QPushButton;
class QSaveFile;
class QTreeWidget;
class QTreeWidgetItem;
QT_END_NAMESPACE

namespace Courier {
class Client;
class Response;
} // namespace Courier

/*
    The paths that downloads under way will be saved to. QSaveFile creates its file only when it
    commits, so a second download of the same name, started meanwhile, must see the name as taken.
*/
class ReservedPaths
{
public:
    /*
        A free path in \a folder for \a name: the name itself, or "name (1).ext", "name (2).ext", …
        when a file of that name exists or another download has reserved it. Reserved until
        release().
    */
    QString reserve(const QString &folder, const QString &name);
    void release(const QString &path);

private:
    QSet<QString> m_paths;
};

/*
    One download, shown as one row of the list: the file name, a progress bar, the rate, a status
    line in words, and Cancel and Retry buttons. The body streams into a QSaveFile in the folder,
    committed only when the whole body arrived; anything else discards it.
*/
class DownloadRow : public QObject
{
    Q_OBJECT

public:
    enum class State { Connecting, Receiving, Done, Failed, Canceled };
    enum Column { NameColumn, ProgressColumn, RateColumn, StatusColumn, ActionsColumn, ColumnCount };

    /* A row at the end of \a list for \a url, to be saved in \a folder. Call start() to begin. */
    DownloadRow(Courier::Client *client, ReservedPaths *reserved, const QUrl &url, const QString &folder,
                QTreeWidget *list);
    /* Aborts a download under way (without signals) and discards its unsaved file. */
    ~DownloadRow() override;

    /* Starts the download, from the beginning: at creation and on Retry. */
    void start();
    /* Cancels the download under way, as the Cancel button does. */
    void cancel();

    QUrl url() const { return m_url; }
    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Connecting || m_state == State::Receiving; }
    qint64 bytesReceived() const { return m_received; }
    /* The size announced, -1 when unknown. */
    qint64 bytesTotal() const { return m_total; }
    /* Where the file is (or will be) saved. */
    QString path() const { return m_path; }
    /* The status line. */
    QString statusText() const { return m_statusText; }

    /* "12.5 MB", "980 kB", "312 bytes": decimal units, as file managers show sizes. */
    static QString formatSize(qint64 bytes);

Q_SIGNALS:
    /* The row changed state: it started, received its headers, or ended one way or another. */
    void stateChanged(DownloadRow::State state);
    /* Bytes of the file received so far, out of \a total (-1 when unknown). */
    void progress(qint64 received, qint64 total);

private:
    void onHeadersReceived();
    void onReadyRead();
    void onDownloadProgress(qint64 received, qint64 total);
    void onFinished();
    bool writeAvailable(Courier::Response *response);
    void sampleRate();
    void setState(State state, const QString &status);
    void discardFile();
    void showProgress();

    Courier::Client *const m_client;
    ReservedPaths *const m_reserved;
    const QUrl m_url;
    const QString m_folder;
    QString m_path;

    QPointer<Courier::Response> m_response;
    std::unique_ptr<QSaveFile> m_file;
    QString m_writeError;

    State m_state = State::Connecting;
    QString m_statusText;
    qint64 m_received = 0;
    qint64 m_total = -1;

    // The rate: a sample every RateInterval, smoothed exponentially (about a second's memory).
    QTimer m_rateTimer;
    QElapsedTimer m_clock;
    qint64 m_lastSampleNs = 0;
    qint64 m_lastSampleBytes = 0;
    double m_rate = -1; // bytes per second, -1 before the first sample

    QTreeWidgetItem *m_item; // owned by the list, as are the widgets below
    QProgressBar *m_bar;
    QPushButton *m_cancelButton;
    QPushButton *m_retryButton;
};
