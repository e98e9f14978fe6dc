using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// Namespaces as the Kubernetes API server keeps them: created on first use (its NamespaceAutoProvision admission),
/// closed to new content while they terminate (NamespaceLifecycle), and deleted in two steps: marked Terminating here,
/// then emptied and removed by <see cref="Controller.NamespaceController"/>.
/// </summary>
internal static class Namespaces
{
    /// <summary>Kubernetes' immortal namespaces: they may not be deleted.</summary>
    private static readonly HashSet<string> s_immortal = new(StringComparer.Ordinal) { ObjectDefaults.DefaultNamespace, "kube-system", "kube-public" };

    /// <summary>What the control plane creates at its start when missing.</summary>
    public static IReadOnlyList<string> Initial { get; } = [ObjectDefaults.DefaultNamespace, "kube-system"];

    /// <summary>
    /// Admits an object about to be applied: a namespace that does not exist yet is created first, and new content for a
    /// terminating namespace is refused (an object that already exists there may still be updated). Kinds the control
    /// plane writes itself (pods, events) pass untouched; an invalid object creates nothing (the apply then reports its
    /// errors, and one bad document stores nothing), nor does a dry run.
    /// </summary>
    public static async Task AdmitAsync(IObjectStore store, IKubeObject value, bool dryRun, CancellationToken cancellationToken)
    {
        if (value.ResourceKind is ResourceKind.Pod or ResourceKind.Event || !ResourceKinds.Get(value.ResourceKind).Namespaced)
        {
            return;
        }

        var name = value.Metadata?.Name ?? "";
        var ns = value.Metadata?.Namespace is { Length: > 0 } given ? given : ObjectDefaults.DefaultNamespace;
        var existing = store.Get<Namespace>("", ns);
        if (existing is null)
        {
            if (!dryRun && IsValid(value))
            {
                await EnsureAsync(store, ns, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (existing.IsTerminating() && store.Get(new ObjectKey(value.ResourceKind, ns, name)) is null)
        {
            throw ApiErrors.Forbidden(value.ResourceKind, name, $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    /// <summary>Creates the namespace, Active, unless it exists; true when this call created it.</summary>
    public static async Task<bool> EnsureAsync(IObjectStore store, string name, CancellationToken cancellationToken)
    {
        if (store.Get<Namespace>("", name) is not null)
        {
            return false;
        }

        var value = new Namespace { Metadata = new ObjectMeta { Name = name } };
        NamespaceValidator.ApplyDefaults(value);
        value.Status = new NamespaceStatus { Phase = NamespacePhases.Active };
        try
        {
            await store.CreateAsync(value, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ObjectAlreadyExistsException)
        {
            // Created meanwhile, by a concurrent apply into the same new namespace.
            return false;
        }
    }

    /// <summary>
    /// The first step of deleting a namespace: it becomes Terminating (deletionTimestamp set, phase Terminating), and the
    /// namespace controller deletes its content, then the namespace. The immortal namespaces are refused.
    /// </summary>
    public static async Task<Namespace?> BeginDeletionAsync(IObjectStore store, Namespace value, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = value.Metadata.Name;
        if (s_immortal.Contains(name))
        {
            throw ApiErrors.Forbidden(ResourceKind.Namespace, name, "this namespace may not be deleted");
        }

        var deletionTime = Timestamp.FromDateTimeOffset(now);
        return await store.MutateAsync<Namespace>("", name, n =>
        {
            if (n.Metadata.Uid != value.Metadata.Uid || n.IsTerminating())
            {
                return false;
            }

            n.Metadata.DeletionTimestamp = deletionTime;
            n.Metadata.DeletionGracePeriodSeconds = 0;
            n.Status ??= new NamespaceStatus();
            n.Status.Phase = NamespacePhases.Terminating;
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsValid(IKubeObject value)
    {
        var defaulted = value.CloneObject();
        ObjectValidator.ApplyDefaults(defaulted);
        return ObjectValidator.Validate(defaulted).Count == 0;
    }
}
