using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// What Kubernetes' ServiceAccount and Priority admission plugins do to a pod the DaemonSet controller creates, decided
/// once per template: the service account it names must exist (the <c>default</c> one is the control plane's own and
/// always is, so it is not waited for), its image pull secrets come from that account when the pod has none, and its
/// priority and preemption policy come from its PriorityClass (or the global default class), which must exist. A
/// refusal is worded as the API server words it; the pod is then not created.
/// </summary>
internal sealed class PodAdmission
{
    private readonly ServiceAccount? _account;
    private readonly string _accountName;
    private readonly string _priorityClassName;
    private readonly int _priority;
    private readonly string _preemptionPolicy;

    private PodAdmission(string? refusal, ServiceAccount? account, string accountName, string priorityClassName, int priority, string preemptionPolicy)
    {
        Refusal = refusal;
        _account = account;
        _accountName = accountName;
        _priorityClassName = priorityClassName;
        _priority = priority;
        _preemptionPolicy = preemptionPolicy;
    }

    /// <summary>Why pods of this template are refused (<c>error looking up service account ns/x: ...</c>), or null.</summary>
    public string? Refusal { get; }

    public static PodAdmission Evaluate(PodSpec template, string ns, IObjectStore store)
    {
        var accountName = template.ServiceAccountName.Length > 0 ? template.ServiceAccountName
            : template.ServiceAccount.Length > 0 ? template.ServiceAccount : ServiceAccountValidator.DefaultName;
        var account = store.Get<ServiceAccount>(ns, accountName);
        if (account is null && accountName != ServiceAccountValidator.DefaultName)
        {
            return Refused($"error looking up service account {ns}/{accountName}: serviceaccount \"{accountName}\" not found");
        }

        string className;
        int priority;
        string policy;
        if (template.PriorityClassName.Length > 0)
        {
            if (store.Get<PriorityClass>("", template.PriorityClassName) is not { } priorityClass)
            {
                return Refused($"no PriorityClass with name {template.PriorityClassName} was found");
            }

            (className, priority, policy) = (priorityClass.Metadata.Name, priorityClass.Value, priorityClass.PreemptionPolicy);
        }
        else if (store.List<PriorityClass>().FirstOrDefault(c => c.GlobalDefault) is { } globalDefault)
        {
            (className, priority, policy) = (globalDefault.Metadata.Name, globalDefault.Value, globalDefault.PreemptionPolicy);
        }
        else
        {
            (className, priority, policy) = ("", 0, SystemPriorityClasses.PreemptLowerPriority);
        }

        if (policy.Length == 0)
        {
            policy = SystemPriorityClasses.PreemptLowerPriority;
        }

        if (template.HasPriority && template.Priority != priority)
        {
            return Refused($"the integer value of priority ({template.Priority}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name");
        }

        if (template.PreemptionPolicy.Length > 0 && template.PreemptionPolicy != policy)
        {
            return Refused($"the string value of PreemptionPolicy ({template.PreemptionPolicy}) must not be provided in pod spec; priority admission controller computed {policy} from the given PriorityClass name");
        }

        return new PodAdmission(null, account, accountName, className, priority, policy);
    }

    /// <summary>The admitted pod's service account, image pull secrets, priority class, priority and preemption policy.</summary>
    public void Apply(PodSpec spec)
    {
        if (Refusal is not null)
        {
            throw new InvalidOperationException("a refused pod cannot be admitted");
        }

        spec.ServiceAccountName = _accountName;
        spec.ServiceAccount = _accountName;
        if (spec.ImagePullSecrets.Count == 0 && _account is not null)
        {
            spec.ImagePullSecrets.Add(_account.ImagePullSecrets.Select(s => s.Clone()));
        }

        spec.PriorityClassName = _priorityClassName;
        spec.Priority = _priority;
        spec.PreemptionPolicy = _preemptionPolicy;
    }

    private static PodAdmission Refused(string reason) => new(reason, null, "", "", 0, "");
}
