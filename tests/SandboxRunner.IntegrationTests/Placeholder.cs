namespace SandboxRunner.IntegrationTests;

internal static class Placeholder;
