namespace SandboxRunner.Benchmarks;

internal static class Report
{
    public static int Write(string directory, string fileName, string markdown)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"// written to {path}");
        return 0;
    }
}
