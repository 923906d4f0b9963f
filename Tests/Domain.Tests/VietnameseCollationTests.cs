using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Tests.Domain;

/// <summary>Unit names sort as a Vietnamese reader expects, whatever the machine's ICU data.</summary>
public sealed class VietnameseCollationTests
{
    private static List<string> Sorted(params string[] names) => [.. names.OrderBy(n => n, VietnameseCollation.Instance)];

    [Fact]
    public void Letters_follow_the_Vietnamese_alphabet_with_d_stroke_after_d()
    {
        Assert.Equal(
            ["Anh Sơn", "Ân Thi", "Bà Rịa", "Chi bộ", "Duy Tiên", "Đống Đa", "Gia Lâm", "Ơn Sơn", "Phú Thọ", "Ứng Hòa", "Yên Bái"],
            Sorted("Đống Đa", "Yên Bái", "Ứng Hòa", "Bà Rịa", "Gia Lâm", "Ân Thi", "Duy Tiên", "Anh Sơn", "Phú Thọ", "Chi bộ", "Ơn Sơn"));
    }

    [Fact]
    public void A_a_breve_and_a_circumflex_are_three_letters_in_that_order_and_o_comes_before_o_circumflex_and_o_horn()
    {
        Assert.Equal(["ca", "că", "câ", "co", "cô", "cơ", "cu", "cư"], Sorted("cư", "cơ", "câ", "co", "cu", "că", "cô", "ca"));
    }

    [Fact]
    public void Tones_decide_only_between_words_with_the_same_letters_in_the_order_ngang_huyen_hoi_nga_sac_nang()
    {
        Assert.Equal(["ma", "mà", "mả", "mã", "má", "mạ"], Sorted("mạ", "má", "mã", "mả", "mà", "ma"));
        Assert.Equal(["Bà Rịa", "Ba Vì"], Sorted("Ba Vì", "Bà Rịa")); // letters first: r before v
    }

    [Fact]
    public void Composed_and_decomposed_spellings_and_letter_case_compare_as_the_same_letters()
    {
        var composed = "Đảng bộ Sở Tài chính";
        var decomposed = composed.Normalize(System.Text.NormalizationForm.FormD);

        // Ordinally the decomposed spelling sorts first; by letters they tie, so what follows decides.
        Assert.True(string.CompareOrdinal(decomposed, composed) < 0);
        Assert.Equal([composed + " a", decomposed + " b"], Sorted(decomposed + " b", composed + " a"));
        Assert.True(VietnameseCollation.Instance.Compare("đảng bộ", "Đảng bộ z") < 0);
        Assert.Equal(["Đảng bộ", "đảng bộ"], Sorted("đảng bộ", "Đảng bộ"));
    }

    [Fact]
    public void Shorter_names_come_before_longer_names_they_begin_and_null_before_anything()
    {
        Assert.Equal(["Chi bộ", "Chi bộ 1", "Chi bộ 10", "Chi bộ 2"], Sorted("Chi bộ 10", "Chi bộ 2", "Chi bộ", "Chi bộ 1"));
        Assert.True(VietnameseCollation.Instance.Compare(null, "a") < 0);
    }
}
