using HostDaemons.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
{
    ["HOSTDAEMONS_SERVER"] = Environment.GetEnvironmentVariable("HOSTDAEMONS_SERVER"),
    ["KUBECONFIG"] = Environment.GetEnvironmentVariable("KUBECONFIG"),
    ["HOME"] = Environment.GetEnvironmentVariable("HOME"),
};
return await HdctlApp.RunAsync(args, Console.Out, Console.Error, Console.In, variables, TimeProvider.System, cancel.Token);
