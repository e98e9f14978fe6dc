using Google.Protobuf.Collections;
using Grpc.Core;
using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Security;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.PodSecurity;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;
using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// Kubernetes' PodSecurity admission over the namespace labels <c>pod-security.kubernetes.io/enforce|warn|audit</c>
/// (and <c>-version</c>), each mode falling back to <c>--default-pod-security</c>. Unlike Kubernetes, enforce refuses
/// a DaemonSet whose template violates it, not only its pods: a DaemonSet whose pods could never be created would be a
/// silent failure. Mirror pods are never refused (the host's administrator wrote their static pods); their violations
/// become Warning events. Lowering a namespace's enforce level, or setting it to privileged, needs <c>update</c> on
/// <c>namespaces/podsecurity</c>, so that whoever may edit a namespace cannot lift its restrictions.
/// </summary>
internal sealed class PodSecurityAdmission(IObjectStore store, IOptions<ControlPlaneOptions> options, IAccessAuthorizer? authorizer)
{
    /// <summary>The reason of the Warning event a mirror pod's violations are recorded under.</summary>
    public const string ViolationEventReason = "PodSecurityViolation";

    private readonly PodSecurityPolicy _defaults = PodSecurityPolicy.Uniform(
        PodSecurityLevels.TryParse(options.Value.DefaultPodSecurity, out var level) ? level : PodSecurityLevel.Privileged);

    /// <summary>The policy of a namespace as stored now (the defaults for one that does not exist yet).</summary>
    public PodSecurityPolicy PolicyFor(string ns) =>
        store.Get<Model.V1.Namespace>("", ns) is { } existing ? PodSecurityPolicy.FromLabels(existing.Metadata.Labels, _defaults) : _defaults;

    /// <summary>
    /// Admits an object with a pod template (a DaemonSet) about to be applied: refused when it violates the namespace's
    /// enforce level; the warn level's violation is returned as a warning for the caller, the audit level's is
    /// recorded on the call's audit record. An invalid object passes: its apply reports the errors.
    /// </summary>
    public IReadOnlyList<string> AdmitTemplate(IKubeObject value, ServerCallContext context)
    {
        if (value is not DaemonSet applied)
        {
            return [];
        }

        var ns = applied.Metadata?.Namespace is { Length: > 0 } given ? given : ObjectDefaults.DefaultNamespace;
        var policy = PolicyFor(ns);
        if (policy.FullyPrivileged)
        {
            return [];
        }

        var ds = (DaemonSet)applied.CloneObject();
        ObjectValidator.ApplyDefaults(ds);
        if (ObjectValidator.Validate(ds).Count > 0 || ds.Spec?.Template?.Spec is not { } spec)
        {
            return [];
        }

        var metadata = ds.Spec.Template.Metadata;
        var enforce = PodSecurityEvaluator.Evaluate(policy.Enforce, metadata, spec);
        var audit = policy.Audit == policy.Enforce ? enforce : PodSecurityEvaluator.Evaluate(policy.Audit, metadata, spec);
        if (!audit.Allowed && CallAudit.From(context) is { } record)
        {
            record.Annotations[PodSecurityPolicy.AuditViolationsAnnotation] = audit.WouldViolate;
        }

        if (!enforce.Allowed)
        {
            throw ApiErrors.Forbidden(ResourceKind.DaemonSet, ds.Metadata.Name, enforce.Violates, enforce.FieldPaths.Select(p => "spec.template." + p).Distinct());
        }

        var warn = policy.Warn == policy.Audit ? audit : PodSecurityEvaluator.Evaluate(policy.Warn, metadata, spec);
        return warn.Allowed ? [] : [warn.WouldViolate];
    }

    /// <summary>
    /// Admits a namespace about to be applied, with the labels it will have: those of a new one, or the live ones merged
    /// with the manifest as apply merges them.
    /// </summary>
    public IReadOnlyList<string> AdmitNamespace(Model.V1.Namespace applied, bool create, ServerCallContext context)
    {
        var name = applied.Metadata?.Name ?? "";
        var existing = store.Get<Model.V1.Namespace>("", name);
        if (existing is null)
        {
            return AdmitNamespaceLabels(name, null, applied.Metadata?.Labels ?? new MapField<string, string>(), context);
        }

        if (create)
        {
            return [];
        }

        var merged = LastAppliedConfiguration.Merge(existing.Clone(), applied.Clone());
        return AdmitNamespaceLabels(name, existing.Metadata.Labels, merged.Metadata?.Labels ?? new MapField<string, string>(), context);
    }

    /// <summary>
    /// Admits a change of a namespace's labels (<paramref name="before"/> is null for a new namespace): lowering its
    /// enforce level, or setting the enforce label to privileged, needs <c>update namespaces/podsecurity</c>. When the
    /// enforce level rises, the pods and DaemonSets already there that violate it are listed as warnings, as
    /// Kubernetes does: nothing running is stopped.
    /// </summary>
    public IReadOnlyList<string> AdmitNamespaceLabels(string name, IReadOnlyDictionary<string, string>? before, IReadOnlyDictionary<string, string> after,
        ServerCallContext context)
    {
        var oldPolicy = before is null ? _defaults : PodSecurityPolicy.FromLabels(before, _defaults);
        var newPolicy = PodSecurityPolicy.FromLabels(after, _defaults);
        after.TryGetValue(PodSecurityPolicy.EnforceLabel, out var enforceLabel);
        string? previousLabel = null;
        before?.TryGetValue(PodSecurityPolicy.EnforceLabel, out previousLabel);
        var setsPrivileged = enforceLabel == PodSecurityLevels.Name(PodSecurityLevel.Privileged) && previousLabel != enforceLabel;
        if (setsPrivileged || oldPolicy.EnforceLoweredBy(newPolicy))
        {
            Authorize(name, context);
        }

        var (oldEnforce, newEnforce) = (oldPolicy.Enforce, newPolicy.Enforce);
        if (before is null || newEnforce == oldEnforce || newEnforce.Level == PodSecurityLevel.Privileged
            || (newEnforce.Version == oldEnforce.Version && newEnforce.Level <= oldEnforce.Level))
        {
            return [];
        }

        return [
            .. ExistingViolations(name, "pods", "pod", store.List<Pod>(name).Select(p => (p.Metadata.Name, p.Metadata, p.Spec)), newEnforce),
            .. ExistingViolations(name, "daemonsets", "daemonset",
                store.List<DaemonSet>(name).Where(d => d.Spec?.Template?.Spec is not null).Select(d => (d.Metadata.Name, d.Spec.Template.Metadata, d.Spec.Template.Spec)), newEnforce),
        ];
    }

    /// <summary>What a mirror pod's namespace would refuse or warn about, for its Warning event; null when nothing.</summary>
    public string? MirrorViolation(Pod mirror)
    {
        var policy = PolicyFor(mirror.Metadata.Namespace);
        var enforce = PodSecurityEvaluator.Evaluate(policy.Enforce, mirror.Metadata, mirror.Spec);
        if (!enforce.Allowed)
        {
            return $"{enforce.Violates}; mirrored anyway: static pods are the host administrator's";
        }

        var warn = PodSecurityEvaluator.Evaluate(policy.Warn, mirror.Metadata, mirror.Spec);
        return warn.Allowed ? null : warn.WouldViolate;
    }

    private void Authorize(string name, ServerCallContext context)
    {
        if (authorizer is null)
        {
            // Until RBAC is registered every authenticated caller may do everything, this too.
            return;
        }

        var caller = CallerIdentity.From(context);
        var request = caller is null ? (AccessRequest?)null : new AccessRequest(caller, "update", "", "namespaces", "podsecurity", name, name);
        var decision = request is { } r ? authorizer.Authorize(r) : AccessDecision.Deny("the call carries no identity");
        if (CallAudit.From(context) is { } audit && request is not null)
        {
            audit.Access = request;
            audit.Decision = decision;
        }

        if (!decision.Allowed)
        {
            throw ApiErrors.Forbidden(ResourceKind.Namespace, name,
                $"User \"{caller?.User ?? ""}\" cannot update resource \"namespaces/podsecurity\" in API group \"\" in the namespace \"{name}\"");
        }
    }

    /// <summary>
    /// Kubernetes' warnings for existing pods when a namespace's enforce level rises: a heading, then one line per
    /// distinct list of reasons, naming the first object (by name) and how many others share it, sorted.
    /// </summary>
    private static IEnumerable<string> ExistingViolations(string ns, string plural, string singular,
        IEnumerable<(string Name, ObjectMeta Metadata, PodSpec Spec)> objects, PodSecurityLevelVersion enforce)
    {
        var byReason = new Dictionary<string, (string First, int Count)>(StringComparer.Ordinal);
        foreach (var (name, metadata, spec) in objects)
        {
            var result = PodSecurityEvaluator.Evaluate(enforce, metadata, spec);
            if (result.Allowed)
            {
                continue;
            }

            var reason = result.ForbiddenReason;
            byReason[reason] = byReason.TryGetValue(reason, out var seen)
                ? (string.CompareOrdinal(name, seen.First) < 0 ? name : seen.First, seen.Count + 1)
                : (name, 1);
        }

        if (byReason.Count == 0)
        {
            return [];
        }

        var lines = byReason.Select(e => e.Value.Count switch
        {
            1 => $"{e.Value.First}: {e.Key}",
            2 => $"{e.Value.First} (and 1 other {singular}): {e.Key}",
            _ => $"{e.Value.First} (and {e.Value.Count - 1} other {singular}s): {e.Key}",
        }).Order(StringComparer.Ordinal);
        return [$"existing {plural} in namespace \"{ns}\" violate the new PodSecurity enforce level \"{enforce}\"", .. lines];
    }
}
