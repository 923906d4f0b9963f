namespace ServerlessWorkflow.Functions.Shared.Pages;

/// <summary>What a <see cref="MessagePage"/> says: a title, an explanation, the way back.</summary>
public sealed record Message(string Title, string? Text = null, Link? Back = null, bool Office = false)
{
    /// <summary>The page for a unit's link that is wrong, tampered with or expired: the same for all, so none tells which.</summary>
    public static readonly Message UnitLinkNotFound = new(
        "Không tìm thấy trang", "Đường dẫn không đúng hoặc đã hết hạn. Xin liên hệ Văn phòng Đảng ủy để được gửi lại đường dẫn.");

    /// <summary>The office's "not found" page: what was not found, why if known, and the way back to the directives.</summary>
    public static Message OfficeNotFound(string title, string? reason = null) =>
        new(title, reason, new Link("/office", "Về danh sách công văn"), Office: true);
}

/// <summary>A link on a page; <see cref="AsButton"/> draws it as a button.</summary>
public sealed record Link(string Url, string Text, bool AsButton = false);
