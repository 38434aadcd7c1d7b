using Npgsql;
using NUnit.Framework;

namespace IncidentBot.Testing.Postgres;

/// <summary>
/// The PostgreSQL server the tests use, from <c>INCIDENTBOT_TEST_POSTGRES</c> (an Npgsql connection string
/// to a server on loopback; .ci/run starts one). Each test gets a database of its own.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "INCIDENTBOT_TEST_POSTGRES";

    public static string? AdminConnectionString => Environment.GetEnvironmentVariable(Variable);

    /// <summary>Skips the test, saying how to run it, when no server is configured.</summary>
    public static string RequireAdmin()
    {
        var admin = AdminConnectionString;
        if (string.IsNullOrWhiteSpace(admin))
        {
            Assert.Ignore($"PostgreSQL tests need a server: set {Variable}, e.g. \"Host=127.0.0.1;Port=55432;Username=postgres\" (.ci/run starts one from /usr/lib/postgresql/15/bin).");
        }

        return admin!;
    }

    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = RequireAdmin();
        var name = "ib_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var admin = AdminConnectionString;
        if (admin is null)
        {
            return;
        }

        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
