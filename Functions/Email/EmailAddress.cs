namespace ServerlessWorkflow.Functions.Email;

/// <summary>A mailbox: the address, and optionally the name shown beside it.</summary>
/// <param name="Address">The bare address (<c>local@domain</c>), no display name, no angle brackets.</param>
/// <param name="DisplayName">The name shown to the reader, e.g. <c>Văn phòng Đảng ủy</c>; line breaks and other control characters are removed before sending.</param>
public sealed record EmailAddress(string Address, string? DisplayName = null);
