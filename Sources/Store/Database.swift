import CSQLite
import Support
#if canImport(Glibc)
import Glibc
#endif

/// Errors from the run store.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// SQLite refused: its message and primary result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT`, ...).
    case sqlite(path: String, message: String, code: Int32)
    case unknownRun(String, known: [String])
    case badRunID(String)
    case noRunYet(kinds: [RunKind], known: [String])
    /// An explicit run id of a kind the command does not take.
    case wrongKind(run: String, kind: RunKind, expected: [RunKind])
    /// A run whose `kind` or `status` column holds a value this version does not know (a store
    /// written by a newer harness, or edited by hand).
    case unknownValue(run: String, column: String, value: String, known: [String])

    public var description: String {
        switch self {
        case let .sqlite(path, message, _): return "run store \(path): \(message)"
        case let .unknownRun(id, known):
            return "no run '\(id)' in the store" + (known.isEmpty ? " (the store has no runs yet)" : "; recent runs: \(known.joined(separator: ", "))")
        case let .noRunYet(kinds, known):
            return "no \(kinds.isEmpty ? "" : kinds.map(\.rawValue).joined(separator: "/") + " ")run in the store yet, so 'latest' means nothing"
                + (known.isEmpty ? "" : "; recent runs: \(known.joined(separator: ", "))")
        case let .wrongKind(run, kind, expected):
            return "\(run) is a \(kind) run; this command takes a \(expected.map(\.rawValue).joined(separator: ", ")) run (`bin/eval runs` and `bin/prep runs` list them)"
        case let .unknownValue(run, column, value, known):
            return "\(run) has \(column) '\(value)', which this version of harness does not know (it knows \(known.joined(separator: ", "))); "
                + "the store was probably written by a newer harness: use that one, or give another store with --db"
        case let .badRunID(s): return "'\(s)' is not a run id; run ids look like run-12 (see `bin/eval runs`)"
        }
    }
}

/// A SQLite value bound to or read from a statement.
public enum SQLValue: Equatable, Sendable {
    case null, int(Int64), double(Double), text(String)

    public var int: Int? { if case let .int(v) = self { return Int(v) }; if case let .double(d) = self { return Int(d) }; return nil }
    public var double: Double? { if case let .double(v) = self { return v }; if case let .int(v) = self { return Double(v) }; return nil }
    public var text: String? { if case let .text(v) = self { return v }; return nil }
}

/// One result row, read by the names the query gave its columns: `row["kind"].text`.
public struct Row {
    /// The column names of one statement, shared by its rows.
    final class Columns {
        let sql: String
        let index: [String: Int]
        init(sql: String, index: [String: Int]) { self.sql = sql; self.index = index }
    }

    let columns: Columns
    /// The values in the query's column order.
    public let values: [SQLValue]

    /// The value of a column the query selected. Asking for one it did not select is a programming
    /// error, caught by the tests of the reader.
    public subscript(_ column: String) -> SQLValue {
        guard let i = columns.index[column] else {
            preconditionFailure("column '\(column)' is not in \(columns.index.keys.sorted()) of: \(columns.sql)")
        }
        return values[i]
    }
}

/// One SQLite connection. Not Sendable: a connection belongs to one thread.
public final class Database {
    public let path: String
    private var handle: OpaquePointer?

    /// Opens (creating) the database at `path`, with WAL journaling and a busy timeout.
    public init(path: String) throws {
        self.path = path
        var h: OpaquePointer?
        if sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nil) != SQLITE_OK {
            let msg = h.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            let code = h.map { sqlite3_errcode($0) } ?? SQLITE_CANTOPEN
            sqlite3_close(h)
            throw StoreError.sqlite(path: path, message: msg, code: code & 0xFF)
        }
        handle = h
        sqlite3_busy_timeout(h, Self.busyTimeoutMS)
        try setJournalModeWAL()
        try execute("PRAGMA foreign_keys=ON")
        try execute("PRAGMA synchronous=NORMAL")
    }

    deinit { sqlite3_close_v2(handle) }

    /// How long a command waits for another one that holds the store's write lock. Writes are short
    /// transactions (a stage, a chunk of predictions), so a minute is only reached by a stuck process.
    public static let busyTimeoutMS: Int32 = 60_000

    /// Switching a new file to WAL needs a moment of exclusive access, which SQLite does not always
    /// wait for through the busy handler: retry while another process is creating the same store.
    private func setJournalModeWAL() throws {
        let deadline = Clock.now() + Double(Self.busyTimeoutMS) / 1000
        while true {
            do {
                try execute("PRAGMA journal_mode=WAL")
                return
            } catch {
                let code = sqlite3_errcode(handle)
                guard code == SQLITE_BUSY || code == SQLITE_LOCKED, Clock.now() < deadline else { throw error }
                usleep(20_000)
            }
        }
    }

    private func fail() -> StoreError {
        StoreError.sqlite(path: path, message: String(cString: sqlite3_errmsg(handle)), code: sqlite3_errcode(handle) & 0xFF)
    }

    /// Runs SQL that returns no rows (several statements allowed when there are no bindings).
    public func execute(_ sql: String, _ bindings: [SQLValue] = []) throws {
        if bindings.isEmpty {
            var err: UnsafeMutablePointer<CChar>?
            let code = sqlite3_exec(handle, sql, nil, nil, &err)
            if code != SQLITE_OK {
                let msg = err.map { String(cString: $0) } ?? "error"
                sqlite3_free(err)
                throw StoreError.sqlite(path: path, message: msg, code: code & 0xFF)
            }
            return
        }
        _ = try query(sql, bindings)
    }

    /// Runs a query and returns every row.
    public func query(_ sql: String, _ bindings: [SQLValue] = []) throws -> [Row] {
        var rows: [Row] = []
        try each(sql, bindings) { rows.append($0) }
        return rows
    }

    /// Runs a query, calling `body` per row (no row arrays kept).
    public func each(_ sql: String, _ bindings: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        let stmt = try prepare(sql)
        defer { sqlite3_finalize(stmt) }
        try bind(stmt, bindings)
        let columns = sqlite3_column_count(stmt)
        var names: [String: Int] = [:]
        for c in 0..<columns { names[String(cString: sqlite3_column_name(stmt, c))] = Int(c) }
        let layout = Row.Columns(sql: sql, index: names)
        while true {
            let r = sqlite3_step(stmt)
            if r == SQLITE_DONE { break }
            guard r == SQLITE_ROW else { throw fail() }
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columns))
            for c in 0..<columns {
                switch sqlite3_column_type(stmt, c) {
                case SQLITE_INTEGER: values.append(.int(sqlite3_column_int64(stmt, c)))
                case SQLITE_FLOAT: values.append(.double(sqlite3_column_double(stmt, c)))
                case SQLITE_NULL: values.append(.null)
                default: values.append(.text(String(cString: sqlite3_column_text(stmt, c))))
                }
            }
            try body(Row(columns: layout, values: values))
        }
    }

    /// A prepared statement for repeated inserts inside a transaction.
    public func repeated(_ sql: String) throws -> Statement { Statement(db: self, stmt: try prepare(sql)) }

    fileprivate func prepare(_ sql: String) throws -> OpaquePointer {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else { throw fail() }
        return stmt
    }

    fileprivate func bind(_ stmt: OpaquePointer, _ values: [SQLValue]) throws {
        for (i, v) in values.enumerated() {
            let idx = Int32(i + 1)
            let r: Int32
            switch v {
            case .null: r = sqlite3_bind_null(stmt, idx)
            case let .int(x): r = sqlite3_bind_int64(stmt, idx, x)
            case let .double(x): r = sqlite3_bind_double(stmt, idx, x)
            case let .text(s): r = sqlite3_bind_text(stmt, idx, s, -1, csqlite_transient())
            }
            if r != SQLITE_OK { throw fail() }
        }
    }

    public var lastInsertID: Int { Int(sqlite3_last_insert_rowid(handle)) }

    /// How many `transaction` calls are open: the outermost is a `BEGIN IMMEDIATE` transaction, the
    /// ones inside it savepoints, so a nested step can fail and roll back alone.
    private var depth = 0

    /// Runs `body` in a transaction: all of its changes land, or none do. Called inside another
    /// transaction, it runs in a savepoint: its changes roll back on error, the outer ones stay
    /// until the outer transaction decides.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let savepoint = depth > 0 ? "nested\(depth)" : nil
        try execute(savepoint.map { "SAVEPOINT \($0)" } ?? "BEGIN IMMEDIATE")
        depth += 1
        defer { depth -= 1 }
        do {
            let result = try body()
            try execute(savepoint.map { "RELEASE \($0)" } ?? "COMMIT")
            return result
        } catch {
            if let savepoint {
                try? execute("ROLLBACK TO \(savepoint)")
                try? execute("RELEASE \(savepoint)")
            } else {
                try? execute("ROLLBACK")
            }
            throw error
        }
    }

    /// A statement prepared once and run many times.
    public final class Statement {
        private let db: Database
        private let stmt: OpaquePointer
        fileprivate init(db: Database, stmt: OpaquePointer) { self.db = db; self.stmt = stmt }
        deinit { sqlite3_finalize(stmt) }

        public func run(_ values: [SQLValue]) throws {
            sqlite3_reset(stmt)
            sqlite3_clear_bindings(stmt)
            try db.bind(stmt, values)
            let r = sqlite3_step(stmt)
            guard r == SQLITE_DONE || r == SQLITE_ROW else { throw db.fail() }
        }
    }
}

@available(*, unavailable)
extension Database: Sendable {}
