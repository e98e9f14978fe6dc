using Grpc.Core;

namespace HostDaemons.ControlPlane.Api;

/// <summary>Runs a long-lived call so that it ends quietly when the client leaves or the host stops.</summary>
internal sealed class StreamingCalls(IHostApplicationLifetime lifetime)
{
    public async Task RunAsync(ServerCallContext context, Func<CancellationToken, Task> run)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping, context.CancellationToken);
        try
        {
            await run(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cts.Token.IsCancellationRequested)
        {
        }
        catch (IOException) when (cts.Token.IsCancellationRequested)
        {
        }
    }
}
