using IncidentBot.Core.Incidents;

namespace IncidentBot.Storage.Shared;

/// <summary>Finding an alert group's incident by its opening entry's source reference (indexed by schema version 3).</summary>
public abstract partial class SqlIncidentStore
{
    public Task<Incident?> FindBySourceRefAsync(string sourceRef, CancellationToken cancellationToken) =>
        SingleIncidentAsync(
            $"SELECT {Rows.IncidentColumns} FROM incidents WHERE id = (SELECT MAX(incident_id) FROM timeline WHERE source_ref = @source_ref)",
            cancellationToken,
            ("source_ref", sourceRef));
}
