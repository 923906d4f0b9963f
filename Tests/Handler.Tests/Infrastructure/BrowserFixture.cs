using Microsoft.Playwright;
using ServerlessWorkflow.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(BrowserFixture))]

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>
/// One headless Chromium for the browser tests: Debian's <c>chromium</c> (scripts/test.sh installs
/// it; <c>CHROMIUM_PATH</c> overrides where it is) driven by Microsoft.Playwright, whose own browser
/// download is never used. Started on first use, so test runs without browser tests pay nothing.
/// Screenshots go to <see cref="ScreenshotDirectory"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Where the main pages' screenshots are kept: <c>.local/screenshots</c> in the repository (CI keeps it as an artefact).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(Repository.Root, ".local", "screenshots");

    /// <summary>A phone: 360 CSS pixels wide, touch, and JavaScript off (every unit-facing page must work without it).</summary>
    public static BrowserNewContextOptions Phone => new()
    {
        ViewportSize = new ViewportSize { Width = 360, Height = 740 },
        IsMobile = true,
        HasTouch = true,
        DeviceScaleFactor = 2,
        JavaScriptEnabled = false,
        Locale = "vi-VN",
        TimezoneId = "Asia/Ho_Chi_Minh",
    };

    /// <summary>The office's desktop. JavaScript stays on only so tests can measure the page; the pages have none.</summary>
    public static BrowserNewContextOptions Desktop => new()
    {
        ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        Locale = "vi-VN",
        TimezoneId = "Asia/Ho_Chi_Minh",
    };

    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        var browser = await BrowserAsync();
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(15_000);
        return context;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    /// <summary>Signs <paramref name="name"/> in (an account made by <see cref="HandlerApp.AddAccountAsync"/>) on the sign-in page <paramref name="page"/> shows.</summary>
    public static async Task SignInAsync(IPage page, string name)
    {
        await page.GetByLabel("Tên đăng nhập").FillAsync(name);
        await page.GetByLabel("Mật khẩu").FillAsync(HandlerApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
    }

    /// <summary>
    /// The page at <paramref name="url"/> lays out within a 360 px phone: nothing scrolls sideways
    /// but tables in their own box, and every button and field is at least 44 px high (a finger).
    /// An office page is measured once <paramref name="signInAs"/> is signed in, with every folded
    /// part (<c>details</c>) open.
    /// </summary>
    public async Task AssertFitsPhoneAsync(string url, string? signInAs = null)
    {
        await using var measuring = await NewContextAsync(OfficePhone);
        var page = await measuring.NewPageAsync();
        await page.GotoAsync(url);
        if (signInAs is not null)
        {
            await SignInAsync(page, signInAs);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            foreach (var summary in await page.Locator("details summary").AllAsync())
            {
                await summary.ClickAsync();
            }
        }

        await AssertFitsPhoneAsync(page);
    }

    /// <summary>The page <paramref name="page"/> shows (opened in a 360 px context with script on, so it can be measured) lays out within the phone; a box's label is the finger's target there.</summary>
    public static async Task AssertFitsPhoneAsync(IPage page)
    {
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 360, $"{page.Url} scrolls sideways on a 360 px phone.");
        var smallest = await page.EvaluateAsync<double>("Math.min(1000, ...[...document.querySelectorAll('button, select, input:not([type=hidden]):not([type=checkbox])')].map(e => e.getBoundingClientRect().height))");
        Assert.True(smallest >= 44, $"A touch target of {page.Url} is only {smallest} px high.");
    }

    /// <summary>
    /// Every piece of text the page shows (in a <see cref="OfficePhone"/> context) is drawn at least
    /// <paramref name="pixels"/> px high, the text of charts (SVG, scaled with their box) included;
    /// returns the smallest found, with where.
    /// </summary>
    public static async Task AssertTextAtLeastAsync(IPage page, double pixels = 12)
    {
        var smallest = await page.EvaluateAsync<string>("""
            () => {
              let least = { size: 1000, where: '' };
              for (const e of document.querySelectorAll('body *')) {
                const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() !== '');
                const box = e.getBoundingClientRect();
                if (!own || box.width === 0 || box.height === 0 || getComputedStyle(e).visibility === 'hidden') continue;
                let size = parseFloat(getComputedStyle(e).fontSize);
                const svg = e.closest('svg');
                if (svg && e.getScreenCTM) { const m = e.getScreenCTM(); size *= Math.hypot(m.a, m.b); }
                if (size < least.size) least = { size, where: e.tagName.toLowerCase() + ': ' + e.textContent.trim().slice(0, 40) };
              }
              return least.size.toFixed(1) + ' px (' + least.where + ')';
            }
            """);
        Assert.True(double.Parse(smallest.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) >= pixels, $"{page.Url}: text drawn at {smallest}, below {pixels} px.");
    }

    /// <summary>The office on a phone: 360 CSS pixels, script on only so tests can measure the pages (they have none).</summary>
    public static BrowserNewContextOptions OfficePhone => new()
    {
        ViewportSize = new ViewportSize { Width = 360, Height = 740 },
        IsMobile = true,
        HasTouch = true,
        DeviceScaleFactor = 2,
        Locale = "vi-VN",
        TimezoneId = "Asia/Ho_Chi_Minh",
    };

    private async Task<IBrowser> BrowserAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_browser is not null)
            {
                return _browser;
            }

            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath(),
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string ChromiumPath()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        var path = !string.IsNullOrWhiteSpace(configured) ? configured : "/usr/bin/chromium";
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"No Chromium at {path}: run scripts/test.sh (it installs Debian's chromium) or set CHROMIUM_PATH.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _gate.Dispose();
    }
}
