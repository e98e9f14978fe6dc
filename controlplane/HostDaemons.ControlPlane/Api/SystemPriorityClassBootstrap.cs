using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// The API server's bootstrap of the built-in PriorityClasses (<c>system-node-critical</c>, <c>system-cluster-critical</c>):
/// created at start when missing, before the controllers that resolve pods' priorities run. The API refuses to change or
/// delete them.
/// </summary>
internal sealed partial class SystemPriorityClassBootstrap(IObjectStore store, ILogger<SystemPriorityClassBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var builtIn in SystemPriorityClasses.All)
        {
            if (store.Get<PriorityClass>("", builtIn.Metadata.Name) is not null)
            {
                continue;
            }

            var value = builtIn.Clone();
            ObjectValidator.ApplyDefaults(value);
            try
            {
                await store.CreateAsync(value, cancellationToken).ConfigureAwait(false);
                Log.Created(logger, value.Metadata.Name);
            }
            catch (ObjectAlreadyExistsException)
            {
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "Created the built-in priority class {PriorityClass}")]
        public static partial void Created(ILogger logger, string priorityClass);
    }
}
