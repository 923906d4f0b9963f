using System.Globalization;
using System.Text;

namespace ServerlessWorkflow.Domain.Common;

/// <summary>
/// Vietnamese dictionary order, the way an office list is expected to read, without depending on
/// the machine's ICU data: letters first, in the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m
/// n o ô ơ p q r s t u ư v x y, with f j w z where the Latin alphabet puts them); then tone marks,
/// in the order ngang, huyền, hỏi, ngã, sắc, nặng; then case; then code points so that the order is
/// total. "Đống Đa" sorts after "Duy Tiên" and before "Gia Lâm"; "Ân Thi" after "Anh Sơn"; "Bà Rịa"
/// before "Ba Vì" (letters first: r before v) and "Ba" before "Bà" (then tones).
/// </summary>
public sealed class VietnameseCollation : IComparer<string>
{
    public static readonly VietnameseCollation Instance = new();

    // Letter-forming marks: they make a different letter (ă â ê ô ơ ư).
    private const char Breve = '\u0306';
    private const char Circumflex = '\u0302';
    private const char Horn = '\u031B';

    private VietnameseCollation()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var a = KeyOf(x);
        var b = KeyOf(y);
        var byLetters = a.Letters.AsSpan().SequenceCompareTo(b.Letters);
        if (byLetters != 0)
        {
            return byLetters;
        }

        var byTones = a.Tones.AsSpan().SequenceCompareTo(b.Tones);
        if (byTones != 0)
        {
            return byTones;
        }

        var byCase = a.Upper.AsSpan().SequenceCompareTo(b.Upper);
        return byCase != 0 ? byCase : string.CompareOrdinal(x, y);
    }

    private readonly record struct SortKey(int[] Letters, int[] Tones, int[] Upper);

    /// <summary>Names sorted are mostly the same few thousand (units, directives): their keys are kept, up to this many.</summary>
    private const int MaxKeptKeys = 100_000;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SortKey> Kept = new(StringComparer.Ordinal);

    /// <summary>The key of <paramref name="value"/>, made once: a sort compares each name many times (n log n).</summary>
    private static SortKey KeyOf(string value)
    {
        if (Kept.TryGetValue(value, out var key))
        {
            return key;
        }

        key = Key(value);
        if (Kept.Count < MaxKeptKeys)
        {
            Kept.TryAdd(value, key);
        }

        return key;
    }

    /// <summary>
    /// Each base letter becomes its rank; a letter-forming mark moves it to the letter after it in
    /// the alphabet (a → ă → â); a tone mark goes to the secondary key; white space and punctuation
    /// sort before letters, digits between them.
    /// </summary>
    private static SortKey Key(string value)
    {
        var decomposed = value.Normalize(NormalizationForm.FormD);
        var letters = new List<int>(decomposed.Length);
        var tones = new List<int>(decomposed.Length);
        var upper = new List<int>(decomposed.Length);
        foreach (var c in decomposed)
        {
            switch (c)
            {
                case Breve:
                    Shift(letters, 1);
                    continue;
                case Circumflex:
                    Shift(letters, letters.Count > 0 && letters[^1] == Rank('a') ? 2 : 1);
                    continue;
                case Horn:
                    Shift(letters, letters.Count > 0 && letters[^1] == Rank('o') ? 2 : 1);
                    continue;
            }

            var tone = Tone(c);
            if (tone > 0)
            {
                if (tones.Count > 0)
                {
                    tones[^1] = tone;
                }

                continue;
            }

            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            letters.Add(lower == 'đ' ? Rank('d') + 1 : Rank(lower));
            tones.Add(0);
            upper.Add(char.IsUpper(c) ? 0 : 1);
        }

        return new SortKey([.. letters], [.. tones], [.. upper]);
    }

    private static void Shift(List<int> letters, int by)
    {
        if (letters.Count > 0)
        {
            letters[^1] += by;
        }
    }

    /// <summary>
    /// Ranks leave room after every Latin letter for the Vietnamese letters built on it
    /// (a+1 = ă, a+2 = â; d+1 = đ; e+1 = ê; o+1 = ô, o+2 = ơ; u+1 = ư).
    /// </summary>
    private static int Rank(char c) => c switch
    {
        >= 'a' and <= 'z' => 1000 + ((c - 'a') * 4),
        >= '0' and <= '9' => 500 + (c - '0'),
        _ when char.IsWhiteSpace(c) => 0,
        _ when char.IsLetter(c) => 2000 + c,
        _ => 100 + (c % 300),
    };

    /// <summary>Ngang 0, huyền 1, hỏi 2, ngã 3, sắc 4, nặng 5.</summary>
    private static int Tone(char c) => c switch
    {
        '\u0300' => 1,
        '\u0309' => 2,
        '\u0303' => 3,
        '\u0301' => 4,
        '\u0323' => 5,
        _ => 0,
    };
}
