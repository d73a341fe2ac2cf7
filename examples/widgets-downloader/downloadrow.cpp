// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "downloadrow.h"

#include <Courier/Client>

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QLocale>
#include <QtCore/QSaveFile>
#include <QtGui/QColor>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStyle>
#include <QtWidgets/QTreeWidget>

#include <algorithm>

using Courier::Response;

namespace {

// The network pauses once this much is waiting to be read: memory stays bounded whatever the size.
constexpr qint64 ReadBufferSize = 1024 * 1024;
// Read and written in pieces of this size.
constexpr qint64 ChunkSize = 256 * 1024;
constexpr int RateIntervalMs = 250;
// The weight of each new rate sample: with one sample every 250 ms, about a second's memory.
constexpr double RateSmoothing = 0.25;
// The progress bar counts in thousandths: an int cannot count the bytes of files over 2 GiB.
constexpr int ProgressSteps = 1000;

// The file name for \a url: the last segment of its path, made safe to use as a file name.
QString fileNameFor(const QUrl &url)
{
    QString name = url.fileName(); // decoded: "%2F" would be a '/', hence the replacements below
    // Separators and what Windows does not allow in a name ('\\' is a separator there, "a:b"
    // names a stream of the file a), on every system, so that a URL gives the same name anywhere.
    static const QString reserved = QStringLiteral("/\\:*?\"<>|");
    for (QChar &c : name) {
        if (reserved.contains(c) || c.category() == QChar::Other_Control)
            c = QLatin1Char('_');
    }
    // Neither ".", "..", nor a hidden file.
    while (name.startsWith(QLatin1Char('.')) || name.startsWith(QLatin1Char(' ')))
        name.remove(0, 1);
    return name.isEmpty() ? QStringLiteral("download") : name;
}

} // namespace

QString ReservedPaths::reserve(const QString &folder, const QString &name)
{
    // "report.pdf" → "report (1).pdf", "courier-0.1.0.tar.gz" → "courier-0.1.0 (1).tar.gz".
    QString stem = name;
    QString suffix;
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    if (dot > 0) {
        stem = name.left(dot);
        suffix = name.mid(dot);
        if (stem.size() > 4 && stem.endsWith(QLatin1String(".tar"), Qt::CaseInsensitive)) {
            suffix.prepend(stem.right(4));
            stem.chop(4);
        }
    }
    const QDir dir(folder);
    for (int n = 0;; ++n) {
        const QString candidate = dir.filePath(
            n == 0 ? name : QString(stem + QStringLiteral(" (") + QString::number(n) + QLatin1Char(')') + suffix));
        if (!m_paths.contains(candidate) && !QFileInfo::exists(candidate)) {
            m_paths.insert(candidate);
            return candidate;
        }
    }
}

void ReservedPaths::release(const QString &path) { m_paths.remove(path); }

DownloadRow::DownloadRow(Courier::Client *client, ReservedPaths *reserved, const QUrl &url, const QString &folder,
                         QTreeWidget *list)
    : m_client(client)
    , m_reserved(reserved)
    , m_url(url)
    , m_folder(folder)
    , m_item(new QTreeWidgetItem(list))
    , m_bar(new QProgressBar)
    , m_cancelButton(new QPushButton(tr("Cancel")))
    , m_retryButton(new QPushButton(tr("Retry")))
{
    m_item->setTextAlignment(RateColumn, Qt::AlignRight | Qt::AlignVCenter);

    // The bar, vertically centred in its cell rather than stretched to the row's height.
    auto *barCell = new QWidget;
    auto *barLayout = new QHBoxLayout(barCell);
    barLayout->setContentsMargins(4, 0, 4, 0);
    barLayout->addWidget(m_bar, 0, Qt::AlignVCenter);
    m_bar->setMaximumHeight(18);
    list->setItemWidget(m_item, ProgressColumn, barCell);

    auto *buttons = new QWidget;
    auto *buttonLayout = new QHBoxLayout(buttons);
    buttonLayout->setContentsMargins(4, 2, 4, 2);
    buttonLayout->setSpacing(6);
    buttonLayout->addWidget(m_cancelButton);
    buttonLayout->addWidget(m_retryButton);
    m_cancelButton->setToolTip(tr("Stop this download; nothing is saved"));
    m_retryButton->setToolTip(tr("Download again from the start"));
    list->setItemWidget(m_item, ActionsColumn, buttons);

    connect(m_cancelButton, &QPushButton::clicked, this, &DownloadRow::cancel);
    connect(m_retryButton, &QPushButton::clicked, this, &DownloadRow::start);

    m_rateTimer.setInterval(RateIntervalMs);
    connect(&m_rateTimer, &QTimer::timeout, this, &DownloadRow::sampleRate);
}

DownloadRow::~DownloadRow()
{
    // Deleting a Response aborts it without a signal; the QSaveFile's destructor removes its
    // temporary file: a download cut short by quitting leaves nothing behind.
    delete m_response.data();
    m_reserved->release(m_path);
}

QString DownloadRow::formatSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, bytes < 1000 * 1000 ? 0 : 1, QLocale::DataSizeSIFormat);
}

void DownloadRow::start()
{
    if (isRunning() && m_response)
        return;
    m_received = 0;
    m_total = -1;
    m_rate = -1;
    m_writeError.clear();

    // A new name each time: one that was free when the last attempt failed may be taken now.
    m_reserved->release(m_path);
    m_path = m_reserved->reserve(m_folder, fileNameFor(m_url));
    const QString name = QFileInfo(m_path).fileName();
    m_item->setText(NameColumn, name);
    m_item->setToolTip(NameColumn,
                       tr("%1\nsaved to %2").arg(m_url.toDisplayString(), QDir::toNativeSeparators(m_path)));

    m_bar->setRange(0, ProgressSteps);
    m_bar->setValue(0);
    m_bar->setTextVisible(true);
    m_bar->setEnabled(true);
    m_item->setText(RateColumn, QString());

    // Written to a temporary file beside the target, renamed into place by commit().
    m_file = std::make_unique<QSaveFile>(m_path);
    if (!m_file->open(QIODevice::WriteOnly)) {
        const QString reason = m_file->errorString();
        discardFile();
        m_bar->setTextVisible(false);
        setState(State::Failed, tr("Cannot write to %1: %2").arg(QDir::toNativeSeparators(m_folder), reason));
        return;
    }

    Courier::Request request(m_url);
    request.setReadBufferSize(ReadBufferSize);
    m_response = m_client->send(request);
    connect(m_response, &Response::headersReceived, this, &DownloadRow::onHeadersReceived);
    connect(m_response, &Response::readyRead, this, &DownloadRow::onReadyRead);
    connect(m_response, &Response::downloadProgress, this, &DownloadRow::onDownloadProgress);
    connect(m_response, &Response::finished, this, &DownloadRow::onFinished);

    m_clock.start();
    m_lastSampleNs = 0;
    m_lastSampleBytes = 0;
    m_rateTimer.start();
    const QString host = m_url.port() < 0 ? m_url.host()
                                          : m_url.host() + QLatin1Char(':') + QString::number(m_url.port());
    setState(State::Connecting, host.isEmpty() ? tr("Connecting…") : tr("Connecting to %1…").arg(host));
}

void DownloadRow::cancel()
{
    if (m_response)
        m_response->abort(); // finished() comes before abort() returns
}

void DownloadRow::onHeadersReceived()
{
    if (m_response->isHttpSuccess()) {
        // The rate counts from here: the time spent connecting is not part of it.
        m_lastSampleNs = m_clock.nsecsElapsed();
        m_lastSampleBytes = m_received;
        setState(State::Receiving, tr("Receiving…"));
        showProgress();
    } else {
        // An error page follows: it is read and dropped, not saved (see writeAvailable()).
        m_statusText = tr("The server answered %1 %2").arg(m_response->statusCode()).arg(m_response->statusMessage());
        m_item->setText(StatusColumn, m_statusText);
    }
}

void DownloadRow::onReadyRead()
{
    if (writeAvailable(m_response))
        return;
    // A write failed (a full disk, say): the download stops here. finished() comes before abort()
    // returns and onFinished() reports m_writeError; m_response is null afterwards.
    Response *response = m_response;
    response->abort();
}

// Moves what \a response holds to the file; false (and m_writeError) when the file cannot take it.
bool DownloadRow::writeAvailable(Response *response)
{
    const bool keep = m_file && response->isHttpSuccess();
    while (response->bytesAvailable() > 0) {
        const QByteArray chunk = response->read(ChunkSize);
        if (chunk.isEmpty())
            break;
        if (keep && m_file->write(chunk) != chunk.size()) {
            m_writeError = tr("Write failed: %1").arg(m_file->errorString());
            return false;
        }
    }
    return true;
}

void DownloadRow::onDownloadProgress(qint64 received, qint64 total)
{
    if (!m_response->isHttpSuccess())
        return; // an error page's progress is not the file's
    m_received = received;
    m_total = total;
    showProgress();
    Q_EMIT progress(received, total); // last: a slot may cancel the download
}

void DownloadRow::showProgress()
{
    if (m_state != State::Receiving)
        return;
    if (m_total > 0) {
        m_bar->setRange(0, ProgressSteps);
        // A value out of range would be ignored: a server sending more than it announced fails
        // (Courier ends it), but its bar stays full meanwhile.
        m_bar->setValue(int(std::min(1.0, double(m_received) / double(m_total)) * ProgressSteps));
        m_statusText = tr("Receiving: %1 of %2").arg(formatSize(m_received), formatSize(m_total));
    } else {
        m_bar->setRange(0, 0); // busy: the size is not known
        m_statusText = tr("Receiving: %1").arg(formatSize(m_received));
    }
    m_item->setText(StatusColumn, m_statusText);
}

void DownloadRow::sampleRate()
{
    const qint64 now = m_clock.nsecsElapsed();
    const double seconds = double(now - m_lastSampleNs) / 1e9;
    if (seconds <= 0)
        return;
    const double sample = double(m_received - m_lastSampleBytes) / seconds;
    m_lastSampleNs = now;
    m_lastSampleBytes = m_received;
    if (m_state != State::Receiving)
        return;
    m_rate = m_rate < 0 ? sample : RateSmoothing * sample + (1 - RateSmoothing) * m_rate;
    m_item->setText(RateColumn, tr("%1/s").arg(formatSize(qint64(m_rate))));
}

void DownloadRow::onFinished()
{
    // finished() comes exactly once, after every other signal; the last bytes are readable now.
    Response *response = m_response;
    m_response = nullptr;
    // Nothing more is wanted from it. (Courier can still emit downloadProgress() after finished()
    // when abort() was called from a readyRead() slot, as onReadyRead() does on a write error.)
    disconnect(response, nullptr, this, nullptr);
    response->deleteLater();
    m_rateTimer.stop();
    m_item->setText(RateColumn, QString());
    if (m_writeError.isEmpty())
        writeAvailable(response); // the last bytes; a failure to write them is in m_writeError

    const double seconds = double(m_clock.elapsed()) / 1000;
    if (!m_writeError.isEmpty()) {
        discardFile();
        setState(State::Failed, m_writeError);
    } else if (response->error() == Response::OperationCanceled) {
        discardFile();
        setState(State::Canceled,
                 m_received > 0 ? tr("Canceled after %1").arg(formatSize(m_received)) : tr("Canceled"));
    } else if (response->hasTransportError()) {
        // Connection refused, host not found, TLS, timeout, cut short: Courier says which, in words.
        discardFile();
        if (m_received == 0)
            m_bar->setTextVisible(false);
        setState(State::Failed, response->errorString());
    } else if (!response->isHttpSuccess()) {
        discardFile();
        m_bar->setTextVisible(false);
        setState(State::Failed,
                 tr("The server answered %1 %2").arg(response->statusCode()).arg(response->statusMessage()));
    } else if (response->error() != Response::NoError || !response->isComplete()) {
        discardFile(); // not expected after the checks above, but a partial file is never kept
        setState(State::Failed, tr("Incomplete: %1").arg(response->errorString()));
    } else if (!m_file->commit()) {
        // The last bytes, flushed by commit(), or the rename into place failed. The temporary
        // file is gone. (The name was free at start(): ReservedPaths keeps other downloads off
        // it, but a file another program made there since then would be replaced.)
        const QString reason = m_file->errorString();
        m_file.reset();
        setState(State::Failed, tr("Could not save: %1").arg(reason));
    } else {
        m_file.reset();
        m_received = response->bytesReceived();
        m_bar->setRange(0, ProgressSteps);
        m_bar->setValue(ProgressSteps);
        setState(State::Done, tr("Done: %1 in %2 s").arg(formatSize(m_received), QLocale().toString(seconds, 'f', 1)));
    }
    // The name is free again: taken by the file itself on success, unused otherwise.
    m_reserved->release(m_path);
}

void DownloadRow::discardFile()
{
    if (!m_file)
        return;
    m_file->cancelWriting();
    m_file.reset(); // ~QSaveFile removes the temporary file: nothing half-written is left
}

void DownloadRow::setState(State state, const QString &status)
{
    m_state = state;
    m_statusText = status;
    m_item->setText(StatusColumn, status);
    m_item->setToolTip(StatusColumn, status);

    const QWidget *list = m_item->treeWidget();
    const QStyle *style = list->style();
    QIcon icon;
    QBrush statusBrush = list->palette().brush(QPalette::Text);
    switch (state) {
    case State::Connecting:
    case State::Receiving: icon = style->standardIcon(QStyle::SP_ArrowDown); break;
    case State::Done: icon = style->standardIcon(QStyle::SP_DialogApplyButton); break;
    case State::Failed:
        icon = style->standardIcon(QStyle::SP_MessageBoxCritical);
        statusBrush = QColor(0xb0, 0x00, 0x20);
        break;
    case State::Canceled:
        icon = style->standardIcon(QStyle::SP_MediaStop);
        statusBrush = list->palette().brush(QPalette::Disabled, QPalette::Text);
        break;
    }
    // Greyed once it stopped short: how far it got stays visible.
    m_bar->setEnabled(state != State::Failed && state != State::Canceled);
    m_item->setIcon(NameColumn, icon);
    m_item->setForeground(StatusColumn, statusBrush);
    m_cancelButton->setEnabled(isRunning());
    m_retryButton->setEnabled(state == State::Failed || state == State::Canceled);
    if (state == State::Receiving)
        showProgress();
    Q_EMIT stateChanged(state);
}
