using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Directives;

/// <summary>
/// Idempotency keys of directive registrations in table <c>registrationkeys</c>, one partition
/// (<c>key</c>): RowKey = SHA-256 (hex) of the caller's scope and the key as sent — the key is the
/// caller's text, so only its hash goes into the table key. The row holds the request's fingerprint,
/// the directive's id and its registration time. A claim is added, never replaced: two requests
/// with one key race on the add, and the second reads the first's. Rows are kept (a few a day); a
/// clean-up is not needed for correctness.
/// </summary>
public sealed class TableRegistrationClaims(TableServiceClient tables, StorageNames names) : IRegistrationClaims
{
    public const string TableName = "registrationkeys";
    private const string Partition = "key";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task<RegistrationClaim?> FindAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, RowKey(key), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? ToClaim(e) : null;
    }

    public async Task<RegistrationClaim> ClaimAsync(IdempotencyKey key, RegistrationClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(
                new TableEntity(Partition, RowKey(key))
                {
                    ["Fingerprint"] = claim.Fingerprint,
                    ["DirectiveId"] = claim.DirectiveId.Value,
                    ["RegisteredAt"] = claim.RegisteredAt,
                },
                cancellationToken);
            return claim;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return await FindAsync(key, cancellationToken) ?? throw new InvalidOperationException("An idempotency key conflicted on add and is not there.", ex);
        }
    }

    /// <summary>The row key of a key: hex SHA-256 of its scope and text (never the text itself).</summary>
    public static string RowKey(IdempotencyKey key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.Scope + "\n" + key.Value)));

    private static RegistrationClaim ToClaim(TableEntity e) => new(
        e.RequiredString("Fingerprint"),
        e.Required("DirectiveId", DirectiveId.Parse),
        e.RequiredInstant("RegisteredAt"));
}
