using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace IncidentBot.Storage.Sqlite;

/// <summary>
/// A prepared command kept for the next transaction on the same connection: SQLite's statement
/// preparation costs more than executing the statement, so the write path prepares each SQL text
/// once. Disposing it only clears its parameters.
/// </summary>
[SuppressMessage("Security", "CA2100", Justification = "Only the store's own constant SQL reaches it.")]
internal sealed class ReusedCommand(DbCommand inner) : DbCommand
{
    [AllowNull]
    public override string CommandText { get => inner.CommandText; set => inner.CommandText = value; }

    public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }

    public override CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }

    public override bool DesignTimeVisible { get => inner.DesignTimeVisible; set => inner.DesignTimeVisible = value; }

    public override UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }

    protected override DbConnection? DbConnection { get => inner.Connection; set => inner.Connection = value; }

    protected override DbParameterCollection DbParameterCollection => inner.Parameters;

    protected override DbTransaction? DbTransaction { get => inner.Transaction; set => inner.Transaction = value; }

    public override void Cancel() => inner.Cancel();

    public override int ExecuteNonQuery() => inner.ExecuteNonQuery();

    public override object? ExecuteScalar() => inner.ExecuteScalar();

    public override void Prepare() => inner.Prepare();

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => inner.ExecuteNonQueryAsync(cancellationToken);

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => inner.ExecuteScalarAsync(cancellationToken);

    protected override DbParameter CreateDbParameter() => inner.CreateParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => inner.ExecuteReader(behavior);

    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        inner.ExecuteReaderAsync(behavior, cancellationToken);

    /// <summary>Really releases the prepared statement (when the store closes).</summary>
    public void Release() => inner.Dispose();

    protected override void Dispose(bool disposing)
    {
        // Kept for reuse: only the parameters of this execution go (the base holds no resources).
        inner.Parameters.Clear();
        base.Dispose(disposing);
    }
}
