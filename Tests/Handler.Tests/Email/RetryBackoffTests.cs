using ServerlessWorkflow.Functions.Email;

namespace ServerlessWorkflow.Tests.Email;

public sealed class RetryBackoffTests
{
    private static readonly RetryBackoff Backoff = new(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), jitter: 0.5);

    [Fact]
    public void Ceilings_double_from_the_base_until_the_cap_and_stay_there_without_overflow()
    {
        var minutes = Enumerable.Range(1, 9).Select(n => Backoff.Ceiling(n).TotalMinutes);

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], minutes);
        Assert.Equal(TimeSpan.FromHours(1), Backoff.Ceiling(int.MaxValue));
    }

    [Fact]
    public void Delays_lie_between_half_the_ceiling_and_the_ceiling_and_are_spread_out()
    {
        var random = new Random(20260225);
        for (var retry = 1; retry <= 12; retry++)
        {
            var ceiling = Backoff.Ceiling(retry);
            var delays = Enumerable.Range(0, 500).Select(_ => Backoff.Delay(retry, random)).ToList();

            Assert.All(delays, d => Assert.InRange(d, ceiling / 2, ceiling));
            Assert.True(delays.Distinct().Count() > 450, $"retry {retry}: only {delays.Distinct().Count()} distinct delays");
            Assert.True(delays.Min() < ceiling * 0.55 && delays.Max() > ceiling * 0.95, $"retry {retry}: {delays.Min()}..{delays.Max()} does not fill the band");
        }
    }

    [Fact]
    public void Each_retry_waits_at_least_as_long_as_the_one_before_until_the_cap()
    {
        var random = new Random(7);
        var delays = Enumerable.Range(1, 6).Select(n => Backoff.Delay(n, random)).ToList();

        Assert.Equal(delays.Order(), delays);
        Assert.True(delays[5] > delays[0] * 8, $"{delays[0]} → {delays[5]}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_delays()
    {
        var first = new Random(42);
        var second = new Random(42);

        Assert.Equal(
            Enumerable.Range(1, 10).Select(n => Backoff.Delay(n, first)),
            Enumerable.Range(1, 10).Select(n => Backoff.Delay(n, second)));
    }

    [Fact]
    public void Without_jitter_the_delay_is_the_ceiling()
    {
        var exact = new RetryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), jitter: 0);

        Assert.Equal(TimeSpan.FromSeconds(40), exact.Delay(3, new Random(1)));
    }

    [Fact]
    public void A_backoff_refuses_a_zero_base_a_cap_below_the_base_a_jitter_outside_0_to_1_and_retry_zero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBackoff(TimeSpan.Zero, TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBackoff(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryBackoff.Default.Ceiling(0));
    }
}
