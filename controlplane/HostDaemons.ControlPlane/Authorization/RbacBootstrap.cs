using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Authorization;

/// <summary>
/// The API server's RBAC bootstrap: at start, every default ClusterRole and ClusterRoleBinding
/// (<see cref="DefaultClusterRoles"/>) is created when missing, and one marked
/// <c>rbac.authorization.kubernetes.io/autoupdate: "true"</c> gets back any rule or subject it lost (Kubernetes'
/// auto-reconcile, which only adds). While running, a deleted default is created again at once, so the cluster never
/// sits without <c>cluster-admin</c> until the next restart.
/// </summary>
internal sealed partial class RbacBootstrap(IObjectStore store, ILogger<RbacBootstrap> logger) : BackgroundService
{
    private StoreSubscription? _subscription;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = store.Subscribe();
        await EnsureAllAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureAllAsync(CancellationToken cancellationToken)
    {
        foreach (var role in DefaultClusterRoles.Roles)
        {
            await EnsureAsync(role, cancellationToken).ConfigureAwait(false);
        }

        foreach (var binding in DefaultClusterRoles.Bindings)
        {
            await EnsureAsync(binding, cancellationToken).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _subscription?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await FollowAsync(_subscription!, stoppingToken).ConfigureAwait(false);
                    return;
                }
                catch (SubscriptionOverflowException)
                {
                    // Deletions may have been missed: every default is ensured again.
                    _subscription!.Dispose();
                    _subscription = store.Subscribe();
                    await EnsureAllAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task FollowAsync(StoreSubscription subscription, CancellationToken stoppingToken)
    {
        await foreach (var e in subscription.Events.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            if (e.Type != StoreEventType.Deleted)
            {
                continue;
            }

            switch (e.Object)
            {
                case ClusterRole role when DefaultClusterRoles.Roles.FirstOrDefault(r => r.Metadata.Name == role.Metadata.Name) is { } builtIn:
                    await EnsureAsync(builtIn, stoppingToken).ConfigureAwait(false);
                    break;
                case ClusterRoleBinding binding when DefaultClusterRoles.Bindings.FirstOrDefault(b => b.Metadata.Name == binding.Metadata.Name) is { } builtIn:
                    await EnsureAsync(builtIn, stoppingToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task EnsureAsync<T>(T builtIn, CancellationToken cancellationToken)
        where T : class, IKubeObject<T>
    {
        var name = builtIn.Metadata.Name;
        try
        {
            if (store.Get<T>("", name) is null)
            {
                var value = builtIn.Clone();
                ObjectValidator.ApplyDefaults(value);
                await store.CreateAsync(value, cancellationToken).ConfigureAwait(false);
                Log.Created(logger, builtIn.Kind, name);
                return;
            }

            await store.MutateAsync<T>("", name, existing => Reconcile(existing, builtIn), cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectAlreadyExistsException)
        {
        }
        catch (Exception ex) when (ex is StoreUnavailableException or ObjectConflictException)
        {
            Log.Failed(logger, name, ex);
        }
    }

    /// <summary>Adds what a default lost, unless its autoupdate annotation says no.</summary>
    private static bool Reconcile<T>(T existing, T builtIn)
        where T : class, IKubeObject<T>
    {
        if (existing.Metadata.Annotations.TryGetValue(DefaultClusterRoles.AutoUpdateAnnotation, out var autoUpdate) && autoUpdate == "false")
        {
            return false;
        }

        switch (existing, builtIn)
        {
            case (ClusterRole role, ClusterRole wanted):
                var missingRules = wanted.Rules.Where(r => !role.Rules.Contains(r)).ToList();
                var missingLabels = wanted.Metadata.Labels.Where(l => !role.Metadata.Labels.ContainsKey(l.Key)).ToList();
                var aggregation = wanted.AggregationRule is not null && role.AggregationRule is null;
                role.Rules.Add(missingRules);
                foreach (var (key, value) in missingLabels)
                {
                    role.Metadata.Labels[key] = value;
                }

                if (aggregation)
                {
                    role.AggregationRule = wanted.AggregationRule!.Clone();
                }

                return missingRules.Count > 0 || missingLabels.Count > 0 || aggregation;
            case (ClusterRoleBinding binding, ClusterRoleBinding wanted):
                var missingSubjects = wanted.Subjects.Where(s => !binding.Subjects.Contains(s)).ToList();
                binding.Subjects.Add(missingSubjects);
                return missingSubjects.Count > 0;
            default:
                return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 780, Level = LogLevel.Information, Message = "Created the default {Kind} {Name}")]
        public static partial void Created(ILogger logger, string kind, string name);

        [LoggerMessage(EventId = 781, Level = LogLevel.Warning, Message = "Could not reconcile the default RBAC object {Name}")]
        public static partial void Failed(ILogger logger, string name, Exception exception);
    }
}
