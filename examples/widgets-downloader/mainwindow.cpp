// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#include "mainwindow.h"

#include <Courier/version.h>

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QStandardPaths>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QStyle>
#include <QtWidgets/QStyledItemDelegate>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>

namespace {

// Room on the right of the rates, right-aligned so that their digits line up: the status text
// that follows does not touch them.
class RateDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem padded(option);
        padded.rect.adjust(0, 0, -Padding, 0);
        QStyledItemDelegate::paint(painter, padded, index);
    }
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        return QStyledItemDelegate::sizeHint(option, index) + QSize(Padding, 0);
    }

private:
    static constexpr int Padding = 10;
};

} // namespace

MainWindow::MainWindow(const QString &folder, QWidget *parent)
    : QMainWindow(parent)
    , m_urlField(new QLineEdit)
    , m_downloadButton(new QPushButton(tr("Download")))
    , m_folderField(new QLineEdit)
    , m_chooseButton(new QPushButton(tr("Choose…")))
    , m_list(new QTreeWidget)
    , m_summary(new QLabel)
{
    setWindowTitle(tr("Downloads — Courier"));
    m_client.setUserAgent(QByteArrayLiteral("courier-widgets-downloader/" COURIER_VERSION_STRING));

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 8, 8, 4);

    // URL and folder on a grid: labels, fields and buttons line up.
    auto *form = new QGridLayout;
    auto *urlLabel = new QLabel(tr("&URL:"));
    urlLabel->setBuddy(m_urlField);
    m_urlField->setPlaceholderText(tr("https://… to download"));
    m_urlField->setClearButtonEnabled(true);
    m_downloadButton->setIcon(style()->standardIcon(QStyle::SP_ArrowDown));
    m_downloadButton->setEnabled(false);
    auto *folderLabel = new QLabel(tr("&Save to:"));
    folderLabel->setBuddy(m_chooseButton);
    m_folderField->setReadOnly(true);
    m_folderField->setFocusPolicy(Qt::NoFocus);
    m_chooseButton->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
    m_chooseButton->setToolTip(tr("Choose the folder new downloads are saved to"));
    form->addWidget(urlLabel, 0, 0);
    form->addWidget(m_urlField, 0, 1);
    form->addWidget(m_downloadButton, 0, 2);
    form->addWidget(folderLabel, 1, 0);
    form->addWidget(m_folderField, 1, 1);
    form->addWidget(m_chooseButton, 1, 2);
    layout->addLayout(form);

    m_list->setColumnCount(DownloadRow::ColumnCount);
    m_list->setHeaderLabels({tr("File"), tr("Progress"), tr("Rate"), tr("Status"), QString()});
    m_list->headerItem()->setTextAlignment(DownloadRow::RateColumn, Qt::AlignRight | Qt::AlignVCenter);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->setFocusPolicy(Qt::NoFocus);
    m_list->setIconSize(QSize(16, 16));
    m_list->setItemDelegateForColumn(DownloadRow::RateColumn, new RateDelegate(m_list));
    QHeaderView *header = m_list->header();
    header->setStretchLastSection(false);
    header->setSectionsMovable(false);
    header->setSectionResizeMode(DownloadRow::NameColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(DownloadRow::ProgressColumn, QHeaderView::Fixed);
    header->setSectionResizeMode(DownloadRow::RateColumn, QHeaderView::Fixed);
    header->setSectionResizeMode(DownloadRow::StatusColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(DownloadRow::ActionsColumn, QHeaderView::Fixed);
    header->resizeSection(DownloadRow::NameColumn, 210);
    header->resizeSection(DownloadRow::ProgressColumn, 160);
    header->resizeSection(DownloadRow::RateColumn, 86);
    header->resizeSection(DownloadRow::ActionsColumn, 176);
    layout->addWidget(m_list, 1);
    setCentralWidget(central);
    statusBar()->addWidget(m_summary, 1);

    connect(m_urlField, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_downloadButton->setEnabled(!text.trimmed().isEmpty()); });
    connect(m_urlField, &QLineEdit::returnPressed, this, &MainWindow::startFromField);
    connect(m_downloadButton, &QPushButton::clicked, this, &MainWindow::startFromField);
    connect(m_chooseButton, &QPushButton::clicked, this, &MainWindow::chooseFolder);

    setFolder(folder);
    updateSummary();
    resize(900, 420);
}

MainWindow::~MainWindow() = default;

QString MainWindow::defaultFolder()
{
    const QString downloads = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    if (!downloads.isEmpty() && QFileInfo(downloads).isDir())
        return downloads;
    return QDir::homePath();
}

void MainWindow::setFolder(const QString &folder)
{
    m_folder = QDir(folder).absolutePath();
    m_folderField->setText(QDir::toNativeSeparators(m_folder));
}

DownloadRow *MainWindow::addDownload(const QUrl &url)
{
    auto row = std::make_unique<DownloadRow>(&m_client, &m_reservedPaths, url, m_folder, m_list);
    DownloadRow *added = row.get();
    m_downloads.push_back(std::move(row));
    connect(added, &DownloadRow::stateChanged, this, [this, added](DownloadRow::State state) {
        updateSummary();
        if (state == DownloadRow::State::Done || state == DownloadRow::State::Failed
            || state == DownloadRow::State::Canceled)
            Q_EMIT downloadEnded(added);
    });
    added->start();
    return added;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const auto running = std::count_if(m_downloads.cbegin(), m_downloads.cend(),
                                       [](const std::unique_ptr<DownloadRow> &row) { return row->isRunning(); });
    if (running == 0) {
        event->accept();
        return;
    }
    const QString question = running == 1 ? tr("A download is still running. Quit and discard it?")
                                          : tr("%1 downloads are still running. Quit and discard them?").arg(running);
    if (QMessageBox::question(this, tr("Quit"), question, QMessageBox::Discard | QMessageBox::Cancel,
                              QMessageBox::Cancel)
        != QMessageBox::Discard) {
        event->ignore();
        return;
    }
    event->accept();
}

void MainWindow::startFromField()
{
    const QString text = m_urlField->text().trimmed();
    if (text.isEmpty())
        return;
    // Typed as "example.com/file.zip" or pasted whole: fromUserInput() completes the first and
    // keeps the second as it is.
    addDownload(QUrl::fromUserInput(text));
    m_urlField->clear();
}

void MainWindow::chooseFolder()
{
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Save Downloads To"), m_folder);
    if (!chosen.isEmpty())
        setFolder(chosen);
}

void MainWindow::updateSummary()
{
    int running = 0;
    int done = 0;
    int failed = 0;
    int canceled = 0;
    for (const auto &row : m_downloads) {
        switch (row->state()) {
        case DownloadRow::State::Connecting:
        case DownloadRow::State::Receiving: ++running; break;
        case DownloadRow::State::Done: ++done; break;
        case DownloadRow::State::Failed: ++failed; break;
        case DownloadRow::State::Canceled: ++canceled; break;
        }
    }
    if (m_downloads.empty()) {
        m_summary->setText(tr("No downloads yet: type or paste a URL above."));
        return;
    }
    m_summary->setText(
        tr("Downloads: %1 running, %2 done, %3 failed, %4 canceled").arg(running).arg(done).arg(failed).arg(canceled));
}
