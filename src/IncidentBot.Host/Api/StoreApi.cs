using System.Globalization;
using IncidentBot.Core.Ports;
using IncidentBot.Host.Configuration;
using IncidentBot.Storage.Transfer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Api;

/// <summary>
/// <c>POST /api/store/backup</c> behind the API keys: the running bot copies its embedded store into
/// <c>Storage:BackupFolder</c>. A LiteDB file is held by the bot, so only the bot can take the copy while it runs.
/// </summary>
internal static class StoreApi
{
    public static IEndpointRouteBuilder MapStoreApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/store").AddEndpointFilter<ApiKeyFilter>().MapPost("/backup", BackupAsync);
        return app;
    }

    private static async Task<Results<Ok<BackupDto>, ProblemHttpResult>> BackupAsync(IIncidentStore store, IOptions<StorageOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (options.Value.EffectiveProvider == StorageOptions.Postgres || store is not IStoreTransfer transfer)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "backup copies the embedded stores; back PostgreSQL up with pg_dump.");
        }

        var extension = options.Value.EffectiveProvider == StorageOptions.LiteDb ? ".litedb" : ".db";
        var name = string.Create(CultureInfo.InvariantCulture, $"incidentbot-{clock.GetUtcNow():yyyyMMdd'T'HHmmssfff'Z'}{extension}");
        var path = Path.GetFullPath(Path.Combine(options.Value.BackupFolder, name));
        await transfer.BackupAsync(path, ct);
        return TypedResults.Ok(new BackupDto(path));
    }

    internal sealed record BackupDto(string Path);
}
