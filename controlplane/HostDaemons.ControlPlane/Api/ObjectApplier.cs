using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// <c>apply</c> and <c>create</c> of the kinds users write (DaemonSets, Secrets, Namespaces, ConfigMaps, ServiceAccounts,
/// RBAC roles and bindings, Services, PriorityClasses), one path for all: server
/// fields dropped, the object validated as written, created with its defaults and the last-applied configuration, or
/// merged three ways into the live object (kubectl's apply), checked for the kind's immutable fields, and stored unless
/// nothing changed or it is a dry run.
/// </summary>
internal sealed class ObjectApplier(IObjectStore store, TimeProvider time)
{
    private const int Attempts = 5;

    public async Task<ApplyResponse> ApplyAsync(IKubeObject value, ApplyRequest request, CancellationToken cancellationToken) => value switch
    {
        DaemonSet ds => await ApplyAsync(ds, request, CheckDaemonSetUpdate, cancellationToken).ConfigureAwait(false),
        Secret secret => await ApplyAsync(secret, request, cancellationToken).ConfigureAwait(false),
        Namespace ns => await ApplyAsync(ns, request, cancellationToken).ConfigureAwait(false),
        ConfigMap cm => await ApplyAsync(cm, request, cancellationToken).ConfigureAwait(false),
        ServiceAccount sa => await ApplyAsync(sa, request, cancellationToken).ConfigureAwait(false),
        Role role => await ApplyAsync(role, request, cancellationToken).ConfigureAwait(false),
        ClusterRole role => await ApplyAsync(role, request, cancellationToken).ConfigureAwait(false),
        RoleBinding binding => await ApplyAsync(binding, request, cancellationToken).ConfigureAwait(false),
        ClusterRoleBinding binding => await ApplyAsync(binding, request, cancellationToken).ConfigureAwait(false),
        Service service => ServiceWarnings.Add(await ApplyAsync(service, request, cancellationToken).ConfigureAwait(false)),
        PriorityClass priorityClass => await ApplyAsync(priorityClass, request, CheckPriorityClassUpdate, cancellationToken).ConfigureAwait(false),
        EndpointSlice => throw ApiErrors.BadRequest(
            "endpointslices.discovery.k8s.io cannot be applied: the control plane keeps the EndpointSlices of every Service with a selector, from the pods it matches"),
        _ => throw ApiErrors.BadRequest(
            $"{ResourceKinds.Get(value.ResourceKind).Plural} cannot be applied: HostDaemons creates pods from DaemonSets and static manifests, and nodes when their agents register"),
    };

    /// <summary>The kind's rules for changing <paramref name="existing"/> into <paramref name="updated"/>, as apply checks them.</summary>
    public IReadOnlyList<FieldError> CheckUpdate(IKubeObject updated, IKubeObject existing) => (updated, existing) switch
    {
        (DaemonSet u, DaemonSet e) => CheckDaemonSetUpdate(u, e),
        (PriorityClass u, PriorityClass e) => CheckPriorityClassUpdate(u, e),
        _ => ObjectValidator.ValidateUpdate(updated, existing),
    };

    /// <summary>Kinds whose only update rules are Kubernetes' immutable fields (<see cref="ObjectValidator.ValidateUpdate"/>).</summary>
    private Task<ApplyResponse> ApplyAsync<T>(T applied, ApplyRequest request, CancellationToken cancellationToken)
        where T : class, IKubeObject<T> =>
        ApplyAsync(applied, request, static (updated, existing) => ObjectValidator.ValidateUpdate(updated, existing), cancellationToken);

    private async Task<ApplyResponse> ApplyAsync<T>(T applied, ApplyRequest request, Func<T, T, IReadOnlyList<FieldError>> checkUpdate,
        CancellationToken cancellationToken)
        where T : class, IKubeObject<T>
    {
        PrepareForWrite(applied);
        var kind = applied.ResourceKind;
        var name = applied.Metadata.Name;
        var errors = ObjectValidator.Validate(Defaulted(applied));
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(kind, name, errors);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (store.Get(new ObjectKey(kind, applied.Metadata.Namespace, name)) is not T existing)
                {
                    return await CreateAsync(applied, request, cancellationToken).ConfigureAwait(false);
                }

                if (request.Mode == ApplyMode.Create)
                {
                    throw ApiErrors.AlreadyExists(kind, name);
                }

                var updated = LastAppliedConfiguration.Merge(existing, applied);
                ObjectValidator.ApplyDefaults(updated);
                var invalid = checkUpdate(updated, existing);
                if (invalid.Count == 0)
                {
                    invalid = ObjectValidator.Validate(updated);
                }

                if (invalid.Count > 0)
                {
                    throw ApiErrors.Invalid(kind, name, invalid);
                }

                return await StoreUpdateAsync(existing, updated, request.DryRun, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectAlreadyExistsException or ObjectConflictException && attempt < Attempts)
            {
            }
        }
    }

    /// <summary>
    /// The Priority admission's rule for classes (one global default at most, checked against the others as they are
    /// now) and the built-in classes, which cannot change at all.
    /// </summary>
    private IReadOnlyList<FieldError> CheckPriorityClassUpdate(PriorityClass updated, PriorityClass existing)
    {
        if (SystemPriorityClasses.Find(existing.Metadata.Name) is { } system
            && (updated.Description != system.Description || updated.Value != system.Value || updated.GlobalDefault != system.GlobalDefault
                || updated.PreemptionPolicy != system.PreemptionPolicy))
        {
            throw ApiErrors.Forbidden(ResourceKind.PriorityClass, existing.Metadata.Name, "this is a system priority class and cannot be changed");
        }

        CheckSingleGlobalDefault(updated);
        return ObjectValidator.ValidateUpdate(updated, existing);
    }

    private void CheckSingleGlobalDefault(PriorityClass value)
    {
        if (value.GlobalDefault && store.List<PriorityClass>().FirstOrDefault(c => c.GlobalDefault && c.Metadata.Name != value.Metadata.Name) is { } other)
        {
            throw ApiErrors.Forbidden(ResourceKind.PriorityClass, value.Metadata.Name,
                $"PriorityClass {other.Metadata.Name} is already marked as default. Only one default can exist");
        }
    }

    /// <summary>A DaemonSet being deleted takes no more changes, and its selector is immutable (apps/v1).</summary>
    private static IReadOnlyList<FieldError> CheckDaemonSetUpdate(DaemonSet updated, DaemonSet existing)
    {
        if (existing.IsTerminating())
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"daemonsets.apps \"{existing.Metadata.Name}\" is being deleted"));
        }

        return Equals(existing.Spec.Selector, updated.Spec.Selector)
            ? []
            : [new FieldError("spec.selector", FieldErrorType.Invalid, "field is immutable", LabelSelectors.Format(updated.Spec.Selector))];
    }

    /// <summary>
    /// Creates what was applied, with its defaults; apply (not create) records it as the last-applied configuration,
    /// as kubectl does. A dry run returns the object as it would be stored.
    /// </summary>
    private async Task<ApplyResponse> CreateAsync<T>(T applied, ApplyRequest request, CancellationToken cancellationToken)
        where T : class, IKubeObject<T>
    {
        var created = request.Mode == ApplyMode.Apply ? LastAppliedConfiguration.WithAnnotation(applied) : (T)applied.CloneObject();
        ObjectValidator.ApplyDefaults(created);
        if (created is PriorityClass priorityClass)
        {
            CheckSingleGlobalDefault(priorityClass);
        }

        if (request.DryRun)
        {
            created.Metadata.Uid = Guid.NewGuid().ToString();
            created.Metadata.CreationTimestamp = Timestamp.FromDateTimeOffset(time.GetUtcNow());
            created.Metadata.Generation = 1;
        }
        else
        {
            created = await store.CreateAsync(created, cancellationToken).ConfigureAwait(false);
        }

        return new ApplyResponse { Object = created.Wrap(), Outcome = ApplyOutcome.Created };
    }

    /// <summary>Writes a merged object unless it equals the live one (unchanged) or this is a dry run.</summary>
    private async Task<ApplyResponse> StoreUpdateAsync<T>(T existing, T updated, bool dryRun, CancellationToken cancellationToken)
        where T : class, IKubeObject<T>
    {
        var response = new ApplyResponse();
        if (LastAppliedConfiguration.Read(existing) is null)
        {
            var info = ResourceKinds.Get(existing.ResourceKind);
            response.Warnings.Add($"resource {info.Plural}/{existing.Metadata.Name} is missing the {LastAppliedConfiguration.Annotation} annotation which is required by hdctl apply. "
                + "hdctl apply should only be used on resources created declaratively by hdctl apply. The missing annotation will be patched automatically.");
        }

        if (Equals(updated, existing))
        {
            response.Object = existing.Wrap();
            response.Outcome = ApplyOutcome.Unchanged;
            return response;
        }

        if (dryRun)
        {
            // What the store would do: generation counts spec changes.
            var spec = updated.Descriptor.FindFieldByName("spec");
            if (spec is not null && !Equals(spec.Accessor.GetValue(updated), spec.Accessor.GetValue(existing)))
            {
                updated.Metadata.Generation = existing.Metadata.Generation + 1;
            }
        }
        else
        {
            updated = await store.UpdateAsync(updated, cancellationToken).ConfigureAwait(false);
        }

        response.Object = updated.Wrap();
        response.Outcome = ApplyOutcome.Configured;
        return response;
    }

    /// <summary>
    /// Server-managed fields are the server's: whatever a manifest says about them (uid, versions, timestamps, status)
    /// is dropped before anything else. Defaults are not applied here: the applied object is kept as written, for the
    /// last-applied configuration and the merge; they are applied to what is stored.
    /// </summary>
    private static void PrepareForWrite(IKubeObject value)
    {
        value.Metadata ??= new ObjectMeta();
        var meta = value.Metadata;
        meta.Uid = "";
        meta.ResourceVersion = "";
        meta.Generation = 0;
        meta.CreationTimestamp = null;
        meta.DeletionTimestamp = null;
        meta.ClearDeletionGracePeriodSeconds();
        if (ResourceKinds.Get(value.ResourceKind).Namespaced)
        {
            if (meta.Namespace.Length == 0)
            {
                meta.Namespace = ObjectDefaults.DefaultNamespace;
            }
        }
        else
        {
            meta.Namespace = "";
        }

        value.Descriptor.FindFieldByName("status")?.Accessor.Clear(value);
    }

    /// <summary>A defaulted copy, to validate what was applied on its own (its errors name the manifest's fields).</summary>
    private static T Defaulted<T>(T value)
        where T : class, IKubeObject<T>
    {
        var copy = (T)value.CloneObject();
        ObjectValidator.ApplyDefaults(copy);
        return copy;
    }
}
