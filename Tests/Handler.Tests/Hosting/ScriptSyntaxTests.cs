using System.Diagnostics;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Hosting;

/// <summary>
/// Every shell script the README and CI call parses (<c>bash -n</c>): run.sh is not run by the suite,
/// and a quote in an embedded script once broke the demo's data loading.
/// </summary>
public sealed class ScriptSyntaxTests
{
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(Repository.PathOf("scripts"), "*.sh", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Repository.PathOf("bench"), "*.sh"))
            .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Repository.Root, path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task The_script_parses_in_bash(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(script);
        using var bash = Process.Start(start)!;
        var errors = await bash.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await bash.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(bash.ExitCode == 0, $"{script} does not parse: {errors}");
    }
}
