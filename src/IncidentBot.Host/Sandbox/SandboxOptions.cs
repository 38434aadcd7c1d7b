namespace IncidentBot.Host.Sandbox;

/// <summary>Section <c>IncidentBot:Sandbox</c>: the bot's own chat platform in its web pages.</summary>
public sealed class SandboxOptions
{
    public const string Section = "IncidentBot:Sandbox";

    /// <summary>Off unless set: <c>appsettings.Development.json</c> turns it on; in production it also needs the web sign-in.</summary>
    public bool Enabled { get; set; }
}
