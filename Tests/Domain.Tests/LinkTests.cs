using System.Text;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Links;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

public sealed class LinkTests
{
    private static readonly UnitLinkSigner Signer = new(new LinkKey(1, Encoding.UTF8.GetBytes("a signing key of some length")));
    private static readonly DateTimeOffset Now = new(2026, 2, 20, 9, 0, 0, TimeSpan.FromHours(7));
    private static readonly UnitLink Link = new(DirectiveId.New(), UnitId.Parse("chi-bo-1").Value, Now.AddDays(30));

    [Fact]
    public void A_signed_link_verifies_to_its_directive_and_unit()
    {
        Assert.Equal(Link, Signer.Verify(Signer.Sign(Link), Now).Value);
    }

    [Fact]
    public void A_link_is_refused_from_the_moment_it_expires()
    {
        var token = Signer.Sign(Link);

        Assert.True(Signer.Verify(token, Link.ExpiresAt.AddSeconds(-1)).IsSuccess);
        Assert.False(Signer.Verify(token, Link.ExpiresAt).IsSuccess);
    }

    [Fact]
    public void Changing_any_character_of_a_token_makes_it_invalid()
    {
        var token = Signer.Sign(Link);

        for (var i = 0; i < token.Length; i++)
        {
            var tampered = token.ToCharArray();
            tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
            Assert.False(Signer.Verify(new string(tampered), Now).IsSuccess, $"position {i}");
        }
    }

    [Fact]
    public void A_link_for_another_unit_cannot_be_made_by_editing_the_payload()
    {
        var token = Signer.Sign(Link);
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0]));
        var forged = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.Replace("chi-bo-1", "chi-bo-2", StringComparison.Ordinal))) + "." + token.Split('.')[1];

        Assert.False(Signer.Verify(forged, Now).IsSuccess);
    }

    [Fact]
    public void Rotating_the_key_invalidates_old_links()
    {
        var token = Signer.Sign(Link);
        var rotated = new UnitLinkSigner(new LinkKey(2, Encoding.UTF8.GetBytes("a brand new key of some length")));
        var sameKeyNewVersion = new UnitLinkSigner(new LinkKey(2, Encoding.UTF8.GetBytes("a signing key of some length")));

        Assert.False(rotated.Verify(token, Now).IsSuccess);
        Assert.False(sameKeyNewVersion.Verify(token, Now).IsSuccess);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("%%%.%%%")]
    public void Every_failure_is_the_same_not_found_that_does_not_say_why(string token)
    {
        var result = Signer.Verify(token, Now);

        Assert.Equal(ErrorKind.NotFound, result.Error!.Kind);
        Assert.Equal("link-not-found", result.Error.Code);
    }

    [Fact]
    public void A_reissued_link_carries_its_version_and_a_first_link_is_the_token_it_always_was()
    {
        var second = Link with { Version = 2 };

        var first = Signer.Sign(Link);
        var reissued = Signer.Sign(second);

        Assert.Equal(2, Signer.Verify(reissued, Now).Value.Version);
        Assert.Equal(UnitLink.FirstVersion, Signer.Verify(first, Now).Value.Version);
        Assert.NotEqual(first, reissued);
        Assert.Equal(4, Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(first.Split('.')[0])).Split('|').Length);
    }

    [Fact]
    public void A_link_version_cannot_be_raised_by_editing_the_payload()
    {
        var token = Signer.Sign(Link with { Version = 2 });
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0]));
        var forged = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload[..^1] + "3")) + "." + token.Split('.')[1];

        Assert.False(Signer.Verify(forged, Now).IsSuccess);
    }
}
