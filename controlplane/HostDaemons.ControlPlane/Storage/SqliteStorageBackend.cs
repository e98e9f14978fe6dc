using Microsoft.Data.Sqlite;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so every acknowledged batch is on disk.
/// Objects are protobuf blobs keyed by kind, namespace and name; the revision counter survives deletions.
/// </summary>
internal sealed class SqliteStorageBackend : IStorageBackend
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _setRevision;

    public SqliteStorageBackend(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        Execute("PRAGMA busy_timeout=5000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS objects (
                kind INTEGER NOT NULL,
                namespace TEXT NOT NULL,
                name TEXT NOT NULL,
                revision INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (kind, namespace, name)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT OR IGNORE INTO meta (key, value) VALUES ('revision', 0);
            """);

        _upsert = Prepare("INSERT INTO objects (kind, namespace, name, revision, data) VALUES ($kind, $ns, $name, $rev, $data) ON CONFLICT (kind, namespace, name) DO UPDATE SET revision = excluded.revision, data = excluded.data;",
            "$kind", "$ns", "$name", "$rev", "$data");
        _delete = Prepare("DELETE FROM objects WHERE kind = $kind AND namespace = $ns AND name = $name;", "$kind", "$ns", "$name");
        _setRevision = Prepare("UPDATE meta SET value = $rev WHERE key = 'revision';", "$rev");
    }

    public StoredState Load()
    {
        using var revisionCommand = _connection.CreateCommand();
        revisionCommand.CommandText = "SELECT value FROM meta WHERE key = 'revision';";
        var revision = (long)(revisionCommand.ExecuteScalar() ?? 0L);

        var objects = new List<StoredChange>();
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT kind, namespace, name, revision, data FROM objects;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            objects.Add(new StoredChange((ResourceKind)reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), (byte[])reader[4]));
        }

        return new StoredState(revision, objects);
    }

    public void Commit(IReadOnlyList<StoredChange> changes, long revision)
    {
        using var transaction = _connection.BeginTransaction();
        _upsert.Transaction = transaction;
        _delete.Transaction = transaction;
        _setRevision.Transaction = transaction;
        foreach (var change in changes)
        {
            if (change.Data is null)
            {
                _delete.Parameters[0].Value = (int)change.Kind;
                _delete.Parameters[1].Value = change.Namespace;
                _delete.Parameters[2].Value = change.Name;
                _delete.ExecuteNonQuery();
            }
            else
            {
                _upsert.Parameters[0].Value = (int)change.Kind;
                _upsert.Parameters[1].Value = change.Namespace;
                _upsert.Parameters[2].Value = change.Name;
                _upsert.Parameters[3].Value = change.Revision;
                _upsert.Parameters[4].Value = change.Data;
                _upsert.ExecuteNonQuery();
            }
        }

        _setRevision.Parameters[0].Value = revision;
        _setRevision.ExecuteNonQuery();
        transaction.Commit();
    }

    public void Dispose()
    {
        _upsert.Dispose();
        _delete.Dispose();
        _setRevision.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }
}
