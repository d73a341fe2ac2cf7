// SPDX-FileCopyrightText: 2026 The Courier developers
// SPDX-License-Identifier: MIT
//
// The documentation is checked by the suite: the status table in doc/status-codes.md is the one
// HttpStatus generates, doc/errors.md has a row for every Response::Error, every QML block of the
// pages loads, and getting-started's two programs build against an installed Courier and run,
// printing what the page says (a refused connection in the same words on both engines).
// (Every C++ block of the pages is compiled by the doc_snippets targets: see tests/CMakeLists.txt.)

#include <Courier/HttpStatus>
#include <Courier/Response>
#include <Courier/version.h>

#include "testserver.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QMetaEnum>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>
#include <QtTest/QTest>

using namespace Courier;
using namespace Courier::Test;

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// doc/status-codes.md, as HttpStatus has it.
QByteArray statusTable()
{
    QByteArray out = "# HTTP status codes\n\n"
                     "Every code `Courier::HttpStatus` knows, with its enumerator, reason phrase, class and\n"
                     "description. Generated from the library by the test suite (`tst_docs`), never written by\n"
                     "hand: after a change to `src/status.cpp`, run `COURIER_WRITE_DOCS=1 build/tests/tst_docs\n"
                     "statusTable`.\n\n"
                     "| Code | Enumerator | Reason phrase | Class | Description |\n"
                     "|---|---|---|---|---|\n";
    const QMetaEnum codes = QMetaEnum::fromType<HttpStatus::Code>();
    const QMetaEnum classes = QMetaEnum::fromType<HttpStatus::StatusClass>();
    for (const int code : HttpStatus::knownCodes()) {
        out += "| " + QByteArray::number(code) + " | `HttpStatus::" + codes.valueToKey(code) + "` | "
            + HttpStatus::phrase(code).toUtf8() + " | " + classes.valueToKey(HttpStatus::statusClass(code)) + " | "
            + HttpStatus::description(code).toUtf8().replace('|', "\\|") + " |\n";
    }
    return out;
}

} // namespace

class tst_Docs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void statusTable();
    void errorTable();
    void qmlBlocks_data();
    void qmlBlocks();
#ifndef COURIER_SANITIZED
    void gettingStarted();
#endif

private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
    };
    Run run(const QString &program, const QStringList &arguments, const QProcessEnvironment &env = {});
};

tst_Docs::Run tst_Docs::run(const QString &program, const QStringList &arguments, const QProcessEnvironment &env)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    if (!env.isEmpty())
        process.setProcessEnvironment(env);
    process.start(program, arguments);
    // The test server lives in this thread: spin the event loop meanwhile (bounded: 5 minutes).
    QDeadlineTimer deadline(300000);
    while (process.state() != QProcess::NotRunning && !deadline.hasExpired())
        QTest::qWait(10);
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
    }
    Run result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAll();
    return result;
}

void tst_Docs::statusTable()
{
    const QString path = QStringLiteral(COURIER_SOURCE_DIR "/doc/status-codes.md");
    const QByteArray generated = ::statusTable();
    if (qEnvironmentVariableIntValue("COURIER_WRITE_DOCS")) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(generated);
    }
    QVERIFY2(readFile(path) == generated,
             "doc/status-codes.md is not what HttpStatus says: COURIER_WRITE_DOCS=1 build/tests/tst_docs statusTable");
}

void tst_Docs::errorTable()
{
    const QList<QByteArray> lines = readFile(QStringLiteral(COURIER_SOURCE_DIR "/doc/errors.md")).split('\n');
    QVERIFY(!lines.isEmpty());
    const auto rowOf = [&lines](const QByteArray &key) -> QByteArray {
        for (const QByteArray &line : lines) {
            if (line.startsWith(QByteArray("| `" + key + "`")))
                return line;
        }
        return {};
    };
    const QMetaEnum errors = QMetaEnum::fromType<Response::Error>();
    for (int i = 0; i < errors.keyCount(); ++i) {
        const QByteArray row = rowOf(errors.key(i));
        QVERIFY2(!row.isEmpty(),
                 qPrintable(QStringLiteral("doc/errors.md has no row for %1").arg(QLatin1String(errors.key(i)))));
        // Its number (a cell of its own) and its category are on that row.
        QList<QByteArray> cells = row.split('|');
        for (QByteArray &cell : cells)
            cell = cell.trimmed();
        QVERIFY2(cells.contains(QByteArray::number(errors.value(i))), row.constData());
        const auto category = Response::categoryOf(Response::Error(errors.value(i)));
        QVERIFY2(row.contains(QMetaEnum::fromType<Response::ErrorCategory>().valueToKey(category)), row.constData());
    }
}

void tst_Docs::qmlBlocks_data()
{
    QTest::addColumn<QString>("file");
    QDirIterator it(QStringLiteral(COURIER_DOC_CODE "/qml"), {QStringLiteral("*.qml")});
    int blocks = 0;
    for (; it.hasNext(); ++blocks) {
        const QString file = it.next();
        QTest::newRow(qPrintable(QFileInfo(file).fileName())) << file;
    }
    if (blocks == 0)
        QTest::newRow("no QML block") << QString();
}

void tst_Docs::qmlBlocks()
{
    QFETCH(QString, file);
    if (file.isEmpty())
        return; // the pages have no QML block (yet)
    QQmlEngine engine;
    engine.addImportPath(QStringLiteral(COURIER_QML_IMPORT));
    QQmlComponent component(&engine, QUrl::fromLocalFile(file));
    std::unique_ptr<QObject> object(component.create());
    QVERIFY2(object, qPrintable(component.errorString()));
}

#ifndef COURIER_SANITIZED
void tst_Docs::gettingStarted()
{
    // As a newcomer does it: install, then build the page's two programs against the install.
    TestServer server;
    server.setHandler([](TestConnection *c, const RawRequest &r) {
        if (r.target == "/missing")
            return c->respond(404, "Not Found", {{"Content-Type", "text/plain"}}, "no such page");
        c->respond(200, "OK", {{"Content-Type", "text/plain"}}, "hello from the test server");
    });
    QTemporaryDir work;
    const QString prefix = work.filePath(QStringLiteral("prefix"));
    const QString cmake = QStringLiteral(COURIER_CMAKE);
    Run r = run(cmake,
                {QStringLiteral("--install"), QStringLiteral(COURIER_BINARY_DIR), QStringLiteral("--prefix"), prefix});
    QVERIFY2(r.exitCode == 0, r.out.constData());
    QDirIterator qmldir(prefix, {QStringLiteral("qmldir")}, QDir::Files, QDirIterator::Subdirectories);
    QVERIFY(qmldir.hasNext());
    const QString importPath = QFileInfo(QFileInfo(qmldir.next()).absolutePath()).absolutePath();

    for (const char *project : {"first-cpp", "first-qml"}) {
        const QString source = QStringLiteral(COURIER_DOC_CODE "/files/") + QLatin1String(project);
        QVERIFY2(QFileInfo::exists(source + QStringLiteral("/CMakeLists.txt")),
                 qPrintable(QStringLiteral("doc/getting-started.md has no <!-- file: %1/CMakeLists.txt --> block")
                                .arg(QLatin1String(project))));
        const QString build = work.filePath(QLatin1String(project));
        r = run(cmake,
                {QStringLiteral("-S"), source, QStringLiteral("-B"), build, QStringLiteral("-G"),
                 QStringLiteral("Ninja"), QStringLiteral("-DCMAKE_PREFIX_PATH=") + prefix});
        QVERIFY2(r.exitCode == 0, r.out.constData());
        r = run(cmake, {QStringLiteral("--build"), build});
        QVERIFY2(r.exitCode == 0, r.out.constData());

        // The executable is the project's only one.
        QString program;
        QDirIterator exe(build, QDir::Files | QDir::Executable);
        while (exe.hasNext() && program.isEmpty()) {
            const QString candidate = exe.next();
            if (!candidate.endsWith(QLatin1String(".sh")) && !QFileInfo(candidate).isDir())
                program = candidate;
        }
        QVERIFY2(!program.isEmpty(), project);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QML_IMPORT_PATH"), importPath);
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        r = run(program, {server.url(QStringLiteral("/hello")).toString(), QStringLiteral("--quit")}, env);
        QVERIFY2(r.exitCode == 0 && r.out.contains("hello from the test server"), r.out.constData());
        r = run(program, {server.url(QStringLiteral("/missing")).toString(), QStringLiteral("--quit")}, env);
        QVERIFY2(r.exitCode == 1 && r.out.contains("404"), r.out.constData());
        if (qstrcmp(project, "first-cpp") == 0) {
            // A port nobody listens on: the page's words, on each engine.
            QStringList engines = {QStringLiteral("qt")};
#if COURIER_HAS_CURL
            engines << QStringLiteral("curl");
#endif
            for (const QString &engine : engines) {
                env.insert(QStringLiteral("COURIER_ENGINE"), engine);
                r = run(program, {QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("--quit")}, env);
                QVERIFY2(r.exitCode == 1 && r.out == "first-cpp: Connection refused (127.0.0.1:1)\n",
                         qPrintable(engine + QLatin1String(": ") + QString::fromUtf8(r.out)));
            }
            env.remove(QStringLiteral("COURIER_ENGINE"));
        }
        qInfo("%s: built against the install and run", project);
    }
}
#endif

QTEST_MAIN(tst_Docs)
#include "tst_docs.moc"
