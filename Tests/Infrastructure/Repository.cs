using System.Reflection;

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>Paths of the repository the tests were built from.</summary>
public static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A spreadsheet sample the office shared (<c>../shared/samples/{name}</c>).</summary>
    public static string SharedSample(string name) => Path.Combine(Root, "..", "shared", "samples", name);

    /// <summary>The text of the original dispatch whose file name starts with <paramref name="prefix"/> (<c>../shared/seeds</c>).</summary>
    public static string SharedSeed(string prefix) =>
        File.ReadAllText(Directory.GetFiles(Path.Combine(Root, "..", "shared", "seeds"), prefix + "*").Single());
}
