using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Links;

/// <summary>What a unit's link grants: access to one directive's tasks for one unit, until it expires.</summary>
public sealed record UnitLink(DirectiveId DirectiveId, UnitId UnitId, DateTimeOffset ExpiresAt);

/// <summary>The signing key and its version. Rotating means a new key with a higher version: links signed with any other version stop working.</summary>
public sealed record LinkKey(int Version, byte[] Secret)
{
    public const int MinimumSecretBytes = 16;
}

/// <summary>
/// Signed unit links: no account or password for units, only a token in the URL.
/// Token = base64url(<c>version|directive|unit|expires-unix</c>) "." base64url(HMAC-SHA256 of that text).
/// Verification recomputes the MAC and compares in constant time, then checks the version and expiry;
/// every failure is the same <see cref="ErrorKind.NotFound"/>, so a wrong link reveals nothing about why.
/// </summary>
public sealed class UnitLinkSigner(LinkKey key)
{
    /// <summary>How long after a directive's last deadline its links keep working, unless configured otherwise.</summary>
    public static readonly TimeSpan DefaultLifetimeAfterLastDeadline = TimeSpan.FromDays(60);

    private static readonly Error Invalid = Error.NotFound("link-not-found", "Đường dẫn không đúng hoặc đã hết hạn.");

    public string Sign(UnitLink link)
    {
        var payload = string.Join('|', key.Version.ToString(CultureInfo.InvariantCulture), link.DirectiveId.Value, link.UnitId.Value, link.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        var bytes = Encoding.UTF8.GetBytes(payload);
        return Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key.Secret, bytes));
    }

    public Result<UnitLink> Verify(string? token, DateTimeOffset now)
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
        if (parts.Length != 4
            || parts[0] != key.Version.ToString(CultureInfo.InvariantCulture)
            || !DirectiveId.Parse(parts[1]).IsSuccess
            || !UnitId.Parse(parts[2]).IsSuccess
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return Invalid;
        }

        var link = new UnitLink(DirectiveId.Parse(parts[1]).Value, UnitId.Parse(parts[2]).Value, DateTimeOffset.FromUnixTimeSeconds(expires));
        return now < link.ExpiresAt ? link : Invalid;
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
