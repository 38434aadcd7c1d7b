namespace IncidentBot.Testing.Teams;

/// <summary>Which key signs a token minted by <see cref="FakeBotFrameworkIssuer"/>.</summary>
public enum FakeSigningKey
{
    /// <summary>The Bot Framework key for Bot Framework issuers, the tenant's Entra key otherwise.</summary>
    Default,

    /// <summary>The current Bot Framework key, endorsed for the issuer's channels.</summary>
    BotFramework,

    /// <summary>A published Bot Framework key whose endorsements do not include the channels (["skype"]).</summary>
    NotEndorsed,

    /// <summary>A published Bot Framework key without an <c>endorsements</c> entry.</summary>
    NoEndorsements,

    /// <summary>The test tenant's Entra key.</summary>
    Entra,

    /// <summary>A key that no JWKS publishes.</summary>
    Unpublished,
}

/// <summary>How a minted token is signed.</summary>
public enum FakeTokenAlgorithm
{
    RS256,

    /// <summary><c>alg: none</c> and an empty signature.</summary>
    None,

    /// <summary>HS256 with the signing key's public key (SubjectPublicKeyInfo PEM) as the HMAC secret: the key-confusion attack.</summary>
    HS256WithPublicKey,
}

/// <summary>Deviations from a valid token, for <see cref="FakeBotFrameworkIssuer.CreateToken"/>.</summary>
public sealed record FakeTokenOptions
{
    /// <summary>Default: https://api.botframework.com.</summary>
    public string? Issuer { get; init; }

    /// <summary>Default: now.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Default: now + 1 hour.</summary>
    public DateTimeOffset? Expires { get; init; }

    public FakeSigningKey Key { get; init; }

    /// <summary>Overrides the <c>kid</c> header (e.g. an unpublished key claiming a published kid).</summary>
    public string? KeyId { get; init; }

    public FakeTokenAlgorithm Algorithm { get; init; }

    public bool OmitServiceUrl { get; init; }

    /// <summary>The <c>tid</c> claim; Entra-issued tokens default to the issuer's tenant.</summary>
    public string? TenantId { get; init; }
}
