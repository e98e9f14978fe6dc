namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>Files of the repository the tests use as they are: the examples, the scripts.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "HostDaemons.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the tests must run inside the repository");
    }
}
