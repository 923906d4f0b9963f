using System.Security.Cryptography;
using System.Text;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Accounts;

/// <summary>
/// A program's key for <c>X-Office-Key</c>: one per client (a script, a reporting tool), with its own
/// roles, revocable. Only the key's SHA-256 is stored (a key is 32 random bytes, so a fast hash is
/// enough); <see cref="Id"/> is the start of that hash, safe to show and to log.
/// </summary>
public sealed record ProgramKey
{
    public required string Hash { get; init; }

    public required string Name { get; init; }

    public required IReadOnlyList<OfficeRole> Roles { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The account that made it, or "cấu hình" for the configured key.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>The configured key (<c>Office__ApiKey</c>): not stored until it is revoked.</summary>
    public bool Configured { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public string? RevokedBy { get; init; }

    public string Id => Hash[..12];

    public bool Revoked => RevokedAt is not null;
}

public interface IProgramKeyStore
{
    /// <summary>The key with this hash (a point read), or null.</summary>
    Task<Versioned<ProgramKey>?> GetAsync(string hash, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProgramKey>> ListAsync(CancellationToken cancellationToken);

    Task<Result<bool>> WriteAsync(ProgramKey key, StoredVersion? expectedVersion, CancellationToken cancellationToken);
}

/// <summary>
/// The programs' keys: the configured <c>Office__ApiKey</c> (the first key, so scripts written before
/// named accounts keep working, with every role but administration) and the keys administrators make.
/// </summary>
public sealed class ProgramKeyRing(IProgramKeyStore store, TimeProvider time)
{
    public const string ConfiguredName = "Khóa đặt khi triển khai";

    /// <summary>What the configured key may do: everything scripts did before roles existed; not administration.</summary>
    public static readonly IReadOnlyList<OfficeRole> ConfiguredRoles = [OfficeRole.VanPhong, OfficeRole.BanXayDungDang, OfficeRole.ThuongTruc];

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The key <paramref name="presented"/> names, unless it is unknown or revoked.</summary>
    public async Task<ProgramKey?> AuthenticateAsync(string presented, string? configured, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 256)
        {
            return null;
        }

        var hash = HashOf(presented);
        var stored = (await store.GetAsync(hash, cancellationToken))?.Value;
        if (stored is { Revoked: true })
        {
            return null;
        }

        if (configured is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(hash), Convert.FromHexString(HashOf(configured))))
        {
            return ConfiguredKey(configured);
        }

        return stored;
    }

    /// <summary>Every key, the configured one first (as it stands: in use or revoked).</summary>
    public async Task<IReadOnlyList<ProgramKey>> ListAsync(string? configured, CancellationToken cancellationToken)
    {
        var stored = await store.ListAsync(cancellationToken);
        var keys = new List<ProgramKey>();
        if (configured is { Length: > 0 })
        {
            var hash = HashOf(configured);
            keys.Add(stored.FirstOrDefault(k => k.Hash == hash) ?? ConfiguredKey(configured));
        }

        keys.AddRange(stored.Where(k => !keys.Any(c => c.Hash == k.Hash)).OrderByDescending(k => k.CreatedAt));
        return keys;
    }

    /// <summary>A new key for a program; the key itself is returned once and never stored.</summary>
    public async Task<Result<(ProgramKey Key, string Secret)>> CreateAsync(string? name, IEnumerable<string?> roleCodes, string createdBy, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var clean = v.Take(Text.Clean(name, "name", 100), "name");
        var roles = v.Take(OfficeRoles.ParseAll(roleCodes), "roles");
        if (v.HasErrors)
        {
            return v.ToError();
        }

        var secret = "okey_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = new ProgramKey { Hash = HashOf(secret), Name = clean!, Roles = roles!, CreatedAt = time.GetUtcNow(), CreatedBy = createdBy };
        var written = await store.WriteAsync(key, null, cancellationToken);
        return written.IsSuccess ? (key, secret) : written.Error!;
    }

    /// <summary>Revokes the key whose <see cref="ProgramKey.Id"/> is <paramref name="id"/> (the configured one too); revoking twice changes nothing.</summary>
    public async Task<Result<(ProgramKey Before, ProgramKey After)>> RevokeAsync(string? id, string? configured, string revokedBy, CancellationToken cancellationToken)
    {
        var key = (await ListAsync(configured, cancellationToken)).FirstOrDefault(k => k.Id == id);
        if (key is null)
        {
            return Error.NotFound("key-not-found", "Không có khóa này.");
        }

        if (key.Revoked)
        {
            return (key, key);
        }

        var version = (await store.GetAsync(key.Hash, cancellationToken))?.Version;
        var revoked = key with { RevokedAt = time.GetUtcNow(), RevokedBy = revokedBy };
        var written = await store.WriteAsync(revoked, version, cancellationToken);
        return written.IsSuccess ? (key, revoked) : written.Error!;
    }

    private static ProgramKey ConfiguredKey(string configured) => new()
    {
        Hash = HashOf(configured),
        Name = ConfiguredName,
        Roles = ConfiguredRoles,
        CreatedAt = DateTimeOffset.UnixEpoch,
        CreatedBy = "cấu hình",
        Configured = true,
    };
}
