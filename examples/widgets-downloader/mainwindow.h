// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "downloadrow.h"

#include <Courier/Client>

#include <QtWidgets/QMainWindow>

#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;
QT_END_NAMESPACE

/*
    The window: a URL field and a Download button, the destination folder and a button to choose
    it, and the list of downloads. One Courier::Client serves them all.
*/
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    /* Downloads go to \a folder until another is chosen. */
    explicit MainWindow(const QString &folder, QWidget *parent = nullptr);
    /* Downloads under way are aborted; their unsaved files are discarded. */
    ~MainWindow() override;

    /* Adds a row for \a url at the end of the list and starts it. */
    DownloadRow *addDownload(const QUrl &url);
    const std::vector<std::unique_ptr<DownloadRow>> &downloads() const { return m_downloads; }

    QString folder() const { return m_folder; }
    void setFolder(const QString &folder);

    /* The folder downloads go to by default: the system's Downloads folder, or else home. */
    static QString defaultFolder();

Q_SIGNALS:
    /* A download ended: saved, failed or canceled. */
    void downloadEnded(DownloadRow *row);

protected:
    /* Asks before quitting while downloads are under way. */
    void closeEvent(QCloseEvent *event) override;

private:
    void startFromField();
    void chooseFolder();
    void updateSummary();

    // Declared before the rows: the rows go first, each deleting its Response (which the Client
    // would otherwise delete without the row knowing) and discarding its unsaved file.
    Courier::Client m_client;
    ReservedPaths m_reservedPaths;
    std::vector<std::unique_ptr<DownloadRow>> m_downloads;
    QString m_folder;

    QLineEdit *m_urlField;
    QPushButton *m_downloadButton;
    QLineEdit *m_folderField;
    QPushButton *m_chooseButton;
    QTreeWidget *m_list;
    QLabel *m_summary;
};
