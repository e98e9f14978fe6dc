using Google.Protobuf;
using Grpc.Core;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Api;

/// <summary>What a replace writes: the object without its status, or only its status (the <c>status</c> subresource).</summary>
internal enum ReplaceScope
{
    Object,
    Status,
}

/// <summary>
/// Kubernetes' update (PUT, and every patch once applied): the whole new object, checked against the stored one. The
/// server's fields (uid, creation time, generation, deletion) are kept; a resource version, when given, must be the
/// stored one (409 Conflict otherwise); the status comes from the store unless the status is what is written, and then
/// nothing else changes. The kind's update rules are apply's, Pods and Nodes have Kubernetes' own, and mirror pods
/// belong to their node. An unchanged object is not written.
/// </summary>
internal sealed class ObjectReplacer(IObjectStore store, ObjectApplier applier, PodSecurityAdmission podSecurity, TimeProvider time)
{
    public async Task<(IKubeObject Value, IReadOnlyList<string> Warnings)> ReplaceAsync(IKubeObject value, ReplaceScope scope, bool dryRun, ServerCallContext call)
    {
        var kind = value.ResourceKind;
        var key = new ObjectKey(kind, value.Metadata?.Namespace ?? "", value.Metadata?.Name ?? "");
        var existing = store.Get(key) ?? throw ApiErrors.NotFound(kind, key.Name);
        MirrorPodAdmission.CheckChange(existing);
        var expectedVersion = value.Metadata?.ResourceVersion ?? "";
        if (expectedVersion.Length > 0 && expectedVersion != existing.Metadata.ResourceVersion)
        {
            throw ApiErrors.Conflict(kind, key.Name);
        }

        var updated = scope == ReplaceScope.Status ? WithStatusOf(existing, value) : WithServerFieldsOf(existing, value);
        IReadOnlyList<string> warnings = [];
        if (scope == ReplaceScope.Object)
        {
            ObjectValidator.ApplyDefaults(updated);
            var errors = new List<FieldError>(Rules(updated, existing));
            if (errors.Count == 0)
            {
                errors.AddRange(ObjectValidator.Validate(updated));
            }

            if (errors.Count > 0)
            {
                throw ApiErrors.Invalid(kind, key.Name, errors);
            }

            warnings = updated switch
            {
                Model.V1.Namespace ns => podSecurity.AdmitNamespaceLabels(ns.Metadata.Name, existing.Metadata.Labels, ns.Metadata.Labels, call),
                DaemonSet => podSecurity.AdmitTemplate(updated, call),
                _ => [],
            };
        }

        if (Equals(updated, existing))
        {
            return (existing, warnings);
        }

        if (dryRun)
        {
            return (updated, warnings);
        }

        updated.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
        try
        {
            return (await UpdateAsync(updated, call.CancellationToken).ConfigureAwait(false), warnings);
        }
        catch (ObjectConflictException)
        {
            throw ApiErrors.Conflict(kind, key.Name);
        }
    }

    private IReadOnlyList<FieldError> Rules(IKubeObject updated, IKubeObject existing) => (updated, existing) switch
    {
        (Pod u, Pod e) => PodUpdateRules.Check(u, e),
        (Node u, Node e) => NodeUpdateRules.Check(u, e, time.GetUtcNow()),
        _ => applier.CheckUpdate(updated, existing),
    };

    private Task<IKubeObject> UpdateAsync(IKubeObject value, CancellationToken cancellationToken) => value switch
    {
        DaemonSet v => Cast(store.UpdateAsync(v, cancellationToken)),
        Pod v => Cast(store.UpdateAsync(v, cancellationToken)),
        Node v => Cast(store.UpdateAsync(v, cancellationToken)),
        Secret v => Cast(store.UpdateAsync(v, cancellationToken)),
        Event v => Cast(store.UpdateAsync(v, cancellationToken)),
        Model.V1.Namespace v => Cast(store.UpdateAsync(v, cancellationToken)),
        ControllerRevision v => Cast(store.UpdateAsync(v, cancellationToken)),
        ConfigMap v => Cast(store.UpdateAsync(v, cancellationToken)),
        ServiceAccount v => Cast(store.UpdateAsync(v, cancellationToken)),
        Role v => Cast(store.UpdateAsync(v, cancellationToken)),
        ClusterRole v => Cast(store.UpdateAsync(v, cancellationToken)),
        RoleBinding v => Cast(store.UpdateAsync(v, cancellationToken)),
        ClusterRoleBinding v => Cast(store.UpdateAsync(v, cancellationToken)),
        Service v => Cast(store.UpdateAsync(v, cancellationToken)),
        EndpointSlice v => Cast(store.UpdateAsync(v, cancellationToken)),
        PriorityClass v => Cast(store.UpdateAsync(v, cancellationToken)),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.ResourceKind, "unknown kind"),
    };

    private static async Task<IKubeObject> Cast<T>(Task<T> task)
        where T : IKubeObject => await task.ConfigureAwait(false);

    /// <summary>The new object with the fields only the server writes taken from the stored one.</summary>
    private static IKubeObject WithServerFieldsOf(IKubeObject existing, IKubeObject value)
    {
        var updated = value.CloneObject();
        var meta = updated.Metadata ??= new ObjectMeta();
        meta.Namespace = existing.Metadata.Namespace;
        meta.Uid = existing.Metadata.Uid;
        meta.CreationTimestamp = existing.Metadata.CreationTimestamp;
        meta.DeletionTimestamp = existing.Metadata.DeletionTimestamp;
        meta.Generation = existing.Metadata.Generation;
        if (existing.Metadata.HasDeletionGracePeriodSeconds)
        {
            meta.DeletionGracePeriodSeconds = existing.Metadata.DeletionGracePeriodSeconds;
        }
        else
        {
            meta.ClearDeletionGracePeriodSeconds();
        }

        var status = updated.Descriptor.FindFieldByName("status");
        if (status is not null)
        {
            CopyField(status, existing, updated);
        }

        return updated;
    }

    /// <summary>The stored object with only the status of the new one.</summary>
    private static IKubeObject WithStatusOf(IKubeObject existing, IKubeObject value)
    {
        var status = existing.Descriptor.FindFieldByName("status")
            ?? throw ApiErrors.BadRequest($"{ResourceKinds.Get(existing.ResourceKind).Plural} have no status");
        var updated = existing.CloneObject();
        CopyField(status, value, updated);
        return updated;
    }

    private static void CopyField(Google.Protobuf.Reflection.FieldDescriptor field, IMessage from, IMessage to)
    {
        if (field.Accessor.GetValue(from) is IMessage value)
        {
            field.Accessor.SetValue(to, field.MessageType.Parser.ParseFrom(value.ToByteString()));
        }
        else
        {
            field.Accessor.Clear(to);
        }
    }
}
