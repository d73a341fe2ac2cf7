// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT

#pragma once

#include "streamparsers_p.h"

#include <Courier/response.h>
#include <Courier/streamreader.h>

#include <QtCore/QPointer>

namespace Courier {

/*!
    The pump every reader shares: takes bytes from the Response while not paused, hands them to
    the format's parser, delivers the items one at a time (a slot may pause, delete the reader or
    the Response between two), then ends the Response when an item was too large, and finishes.
*/
class StreamReaderPrivate
{
    Q_DECLARE_PUBLIC(StreamReader)
public:
    /*! Bytes taken from the Response at a time: the most items a pause leaves waiting. */
    static constexpr qint64 ChunkSize = 16 * 1024;

    virtual ~StreamReaderPrivate() = default;

    StreamReader *q_ptr = nullptr;
    QPointer<Response> response;
    qint64 maximum = StreamReader::DefaultMaximumItemSize;
    qint64 items = 0;
    QString error; // StreamReader::errorString()
    bool paused = false;
    bool tooLarge = false; // the parser refused the item being received
    bool ended = false; // the parser saw the end of the stream
    bool finished = false;
    bool pumping = false;
    bool pumpAgain = false;

    void attach(StreamReader *q, Response *response);
    void schedule();
    void pump();

    // The format's part.
    virtual void setMaximum(qint64 bytes) = 0;
    /*! Parses \a bytes into the queue; false when an item passed the limit. */
    virtual bool parse(QByteArrayView bytes) = 0;
    virtual void endOfStream(bool clean) = 0;
    virtual bool hasQueued() const = 0;
    /*! Emits the first queued item (it is removed first: the slot may delete the reader). */
    virtual void deliverOne() = 0;
    virtual QString tooLargeMessage() const = 0;

private:
    void failTooLarge();
};

} // namespace Courier
