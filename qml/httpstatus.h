// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include <Courier/HttpStatus>

#include <QtCore/QObject>
#include <QtQml/qqml.h>

namespace Courier::Qml {

/*!
    \c HttpStatus in QML: the codes as constants (HttpStatus.NotFound) and classes
    (HttpStatus.ClientError), from Courier::HttpStatus, and its functions.
*/
class HttpStatusObject : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(HttpStatus)
    QML_SINGLETON
    QML_EXTENDED_NAMESPACE(Courier::HttpStatus)

public:
    using QObject::QObject;

    /*! "Not Found" for 404; empty for an unregistered code. */
    Q_INVOKABLE QString phrase(int code) const;
    /*! A one-line description of \a code. */
    Q_INVOKABLE QString description(int code) const;
    /*! The class of \a code, as HttpStatus.Success etc. */
    Q_INVOKABLE int statusClass(int code) const;
    Q_INVOKABLE bool isKnown(int code) const;
    Q_INVOKABLE bool isInformational(int code) const;
    Q_INVOKABLE bool isSuccess(int code) const;
    Q_INVOKABLE bool isRedirection(int code) const;
    Q_INVOKABLE bool isClientError(int code) const;
    Q_INVOKABLE bool isServerError(int code) const;
};

} // namespace Courier::Qml
