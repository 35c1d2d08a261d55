namespace SandboxRunner.Tests;

internal static class Placeholder;
