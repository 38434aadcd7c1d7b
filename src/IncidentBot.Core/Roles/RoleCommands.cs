using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Roles;

/// <summary>`lead @user`.</summary>
public sealed record LeadCommand(Person User) : Command;

/// <summary>`role &lt;name&gt; @user`.</summary>
public sealed record RoleCommand(string Role, Person User) : Command;
