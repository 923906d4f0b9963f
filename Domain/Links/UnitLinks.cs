using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Links;

/// <summary>
/// What a unit's link grants: access to one directive's tasks for one unit, until it expires.
/// <see cref="Version"/> is the unit's link version for the directive (1 until the office revokes the
/// unit's link and issues a new one): a link whose version is below the one stored is replaced.
/// </summary>
public sealed record UnitLink(DirectiveId DirectiveId, UnitId UnitId, DateTimeOffset ExpiresAt)
{
    /// <summary>The first version of every unit's link: tokens of version 1 do not carry it (links issued before versions existed read as 1).</summary>
    public const int FirstVersion = 1;

    public int Version { get; init; } = FirstVersion;
}

/// <summary>The signing key and its version. Rotating means a new key with a higher version: links signed with any other version stop working.</summary>
public sealed record LinkKey(int Version, byte[] Secret)
{
    public const int MinimumSecretBytes = 16;
}

/// <summary>
/// Signed unit links: no account or password for units, only a token in the URL.
/// Token = base64url(<c>version|directive|unit|expires-unix</c>, and <c>|link-version</c> once the
/// office has reissued the unit's link) "." base64url(HMAC-SHA256 of that text).
/// Verification recomputes the MAC and compares in constant time, then checks the version and expiry;
/// every failure is the same <see cref="ErrorKind.NotFound"/>, so a wrong link reveals nothing about why.
/// The expiry signed in is the directive's end at signing; a unit's page also accepts a link past it
/// while the directive is still followed (an extended deadline: <see cref="Read"/>).
/// </summary>
public sealed class UnitLinkSigner(LinkKey key)
{
    /// <summary>How long after a directive's last deadline its links keep working, unless configured otherwise.</summary>
    public static readonly TimeSpan DefaultLifetimeAfterLastDeadline = TimeSpan.FromDays(60);

    private static readonly Error Invalid = Error.NotFound("link-not-found", "Đường dẫn không đúng hoặc đã hết hạn.");

    public string Sign(UnitLink link)
    {
        var payload = string.Join('|', key.Version.ToString(CultureInfo.InvariantCulture), link.DirectiveId.Value, link.UnitId.Value, link.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (link.Version != UnitLink.FirstVersion)
        {
            payload += "|" + link.Version.ToString(CultureInfo.InvariantCulture);
        }

        var bytes = Encoding.UTF8.GetBytes(payload);
        return Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key.Secret, bytes));
    }

    /// <summary>The link the token names if it is well formed, signed with the current key and not past the end signed into it (a unit's page also weighs the directive's end now: <see cref="Read"/>).</summary>
    public Result<UnitLink> Verify(string? token, DateTimeOffset now) =>
        Read(token) is { IsSuccess: true } link && now < link.Value.ExpiresAt ? link : Invalid;

    /// <summary>
    /// The link the token names if it is well formed and signed with the current key; its
    /// <see cref="UnitLink.ExpiresAt"/> is the end the directive had when the link was signed, which
    /// the caller compares with the directive's end now (a deadline extended since moves it later).
    /// </summary>
    public Result<UnitLink> Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return Invalid;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !TryDecode(token[..dot], out var payload) || !TryDecode(token[(dot + 1)..], out var mac))
        {
            return Invalid;
        }

        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key.Secret, payload), mac))
        {
            return Invalid;
        }

        var parts = Encoding.UTF8.GetString(payload).Split('|');
        var linkVersion = UnitLink.FirstVersion;
        if (parts.Length is not (4 or 5)
            || (parts.Length == 5 && (!int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out linkVersion) || linkVersion <= UnitLink.FirstVersion))
            || parts[0] != key.Version.ToString(CultureInfo.InvariantCulture)
            || !DirectiveId.Parse(parts[1]).IsSuccess
            || !UnitId.Parse(parts[2]).IsSuccess
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return Invalid;
        }

        return new UnitLink(DirectiveId.Parse(parts[1]).Value, UnitId.Parse(parts[2]).Value, DateTimeOffset.FromUnixTimeSeconds(expires)) { Version = linkVersion };
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
