using System.Reflection;

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>Paths of the repository the tests were built from; every file a test reads is inside it.</summary>
public static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A file the tests keep under <c>Tests/Fixtures</c> (<c>samples/…</c>, <c>seeds/…</c>, <c>libreoffice/…</c>).</summary>
    public static string Fixture(params string[] parts) => Path.Combine([Root, "Tests", "Fixtures", .. parts]);

    /// <summary>A spreadsheet sample the office shared: the blank template and a filled copy (<c>Tests/Fixtures/samples</c>).</summary>
    public static string SharedSample(string name) => Fixture("samples", name);

    /// <summary>The text of the original dispatch whose file name starts with <paramref name="prefix"/> (<c>Tests/Fixtures/seeds</c>).</summary>
    public static string SharedSeed(string prefix) =>
        File.ReadAllText(Directory.GetFiles(Fixture("seeds"), prefix + "*").Single());
}
