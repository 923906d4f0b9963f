using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Hosting.Security.Accounts;

/// <summary>
/// Office accounts and programs' keys in table <c>accounts</c>:
/// <list type="bullet">
/// <item>PartitionKey <c>account</c>, RowKey the account name: the account, its password hash
/// (ASP.NET Core Identity's format), lockout counters, TOTP secret and session stamp. Every change
/// is conditional on the ETag read.</item>
/// <item>PartitionKey <c>key</c>, RowKey the SHA-256 of a program's key: its name, roles and whether
/// it was revoked (a presented key is one point read). The key itself is never stored.</item>
/// </list>
/// Roles are stored as their codes, comma-separated (<c>van-phong,thuong-truc</c>).
/// </summary>
public sealed class TableAccountStore(TableServiceClient tables, StorageNames names) : IAccountStore, IProgramKeyStore
{
    public const string TableName = "accounts";
    private const string AccountPartition = "account";
    private const string KeyPartition = "key";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task<Versioned<OfficeAccount>?> GetAsync(AccountName name, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(AccountPartition, name.Value, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? new Versioned<OfficeAccount>(ToAccount(e), e.Version()) : null;
    }

    public async Task<IReadOnlyList<OfficeAccount>> ListAsync(CancellationToken cancellationToken)
    {
        var accounts = new List<OfficeAccount>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {AccountPartition}"), cancellationToken: cancellationToken))
        {
            accounts.Add(ToAccount(e));
        }

        return accounts;
    }

    public Task<Result<bool>> WriteAsync(OfficeAccount account, StoredVersion? expectedVersion, CancellationToken cancellationToken) =>
        Table.WriteConditionallyAsync(ToEntity(account), expectedVersion, cancellationToken);

    async Task<Versioned<ProgramKey>?> IProgramKeyStore.GetAsync(string hash, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(KeyPartition, hash, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? new Versioned<ProgramKey>(ToKey(e), e.Version()) : null;
    }

    async Task<IReadOnlyList<ProgramKey>> IProgramKeyStore.ListAsync(CancellationToken cancellationToken)
    {
        var keys = new List<ProgramKey>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {KeyPartition}"), cancellationToken: cancellationToken))
        {
            keys.Add(ToKey(e));
        }

        return keys;
    }

    public Task<Result<bool>> WriteAsync(ProgramKey key, StoredVersion? expectedVersion, CancellationToken cancellationToken) =>
        Table.WriteConditionallyAsync(
            new TableEntity(KeyPartition, key.Hash)
            {
                ["Name"] = key.Name,
                ["Roles"] = Roles(key.Roles),
                ["CreatedAt"] = key.CreatedAt,
                ["CreatedBy"] = key.CreatedBy,
                ["Configured"] = key.Configured,
                ["RevokedAt"] = key.RevokedAt,
                ["RevokedBy"] = key.RevokedBy,
            },
            expectedVersion,
            cancellationToken);

    private static string Roles(IEnumerable<OfficeRole> roles) => string.Join(',', roles.Select(OfficeRoles.Code));

    private static IReadOnlyList<OfficeRole> ParseRoles(TableEntity e) =>
        e.Required("Roles", text => OfficeRoles.ParseAll(text.Split(',')));

    private static TableEntity ToEntity(OfficeAccount a) => new(AccountPartition, a.Name.Value)
    {
        ["DisplayName"] = a.DisplayName,
        ["Roles"] = Roles(a.Roles),
        ["PasswordHash"] = a.PasswordHash,
        ["MustChangePassword"] = a.MustChangePassword,
        ["Disabled"] = a.Disabled,
        ["FailedAttempts"] = a.FailedAttempts,
        ["LockedUntil"] = a.LockedUntil,
        ["TotpSecret"] = a.TotpSecret,
        ["LastTotpStep"] = a.LastTotpStep,
        ["Stamp"] = a.Stamp,
        ["CreatedAt"] = a.CreatedAt,
        ["UpdatedAt"] = a.UpdatedAt,
    };

    private static OfficeAccount ToAccount(TableEntity e) => new()
    {
        Name = e.Parsed("RowKey", e.RowKey, n => AccountName.Parse(n)),
        DisplayName = e.RequiredString("DisplayName"),
        Roles = ParseRoles(e),
        PasswordHash = e.RequiredString("PasswordHash"),
        MustChangePassword = e.RequiredBool("MustChangePassword"),
        Disabled = e.RequiredBool("Disabled"),
        FailedAttempts = e.RequiredInt("FailedAttempts"),
        LockedUntil = e.OptionalInstant("LockedUntil"),
        TotpSecret = e.OptionalString("TotpSecret"),
        LastTotpStep = e.RequiredLong("LastTotpStep"),
        Stamp = e.RequiredString("Stamp"),
        CreatedAt = e.RequiredInstant("CreatedAt"),
        UpdatedAt = e.RequiredInstant("UpdatedAt"),
    };

    private static ProgramKey ToKey(TableEntity e) => new()
    {
        Hash = e.RowKey,
        Name = e.RequiredString("Name"),
        Roles = ParseRoles(e),
        CreatedAt = e.RequiredInstant("CreatedAt"),
        CreatedBy = e.RequiredString("CreatedBy"),
        Configured = e.RequiredBool("Configured"),
        RevokedAt = e.OptionalInstant("RevokedAt"),
        RevokedBy = e.OptionalString("RevokedBy"),
    };
}
