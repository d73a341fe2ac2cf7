// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

// Records every signal of a Response in order, so tests can assert the sequence and the
// exactly-once guarantees in one comparison.

#include <Courier/Response>

#include <QtCore/QObject>
#include <QtCore/QStringList>

namespace Courier::Test {

class SignalLog : public QObject
{
public:
    explicit SignalLog(Response *r)
    {
        connect(r, &Response::headersReceived, this, [this] { names << QStringLiteral("headers"); });
        connect(r, &Response::redirected, this, [this](const QUrl &) { names << QStringLiteral("redirected"); });
        connect(r, &Response::downloadProgress, this, [this](qint64 a, qint64 b) {
            names << QStringLiteral("download");
            downloads.append({a, b});
        });
        connect(r, &Response::uploadProgress, this, [this](qint64 a, qint64 b) {
            names << QStringLiteral("upload");
            uploads.append({a, b});
        });
        connect(r, &Response::errorOccurred, this, [this](Response::Error e) {
            names << QStringLiteral("error");
            errors.append(e);
        });
        connect(r, &Response::finished, this, [this] { names << QStringLiteral("finished"); });
    }

    int count(const QString &name) const { return int(names.count(name)); }
    /*! The names with repeated progress signals collapsed, e.g. "headers download error finished". */
    QString sequence() const
    {
        QStringList collapsed;
        for (const QString &n : names) {
            if (collapsed.isEmpty() || collapsed.last() != n || n == QLatin1String("finished")
                || n == QLatin1String("error"))
                collapsed << n;
        }
        return collapsed.join(QLatin1Char(' '));
    }

    QStringList names;
    QList<QPair<qint64, qint64>> downloads;
    QList<QPair<qint64, qint64>> uploads;
    QList<Response::Error> errors;
};

} // namespace Courier::Test
