namespace HostDaemons.Model.V1;

/// <summary>
/// A revision's template as Kubernetes' daemon controller stores it: the pod template under <c>"$patch": "replace"</c>,
/// so that <c>kubectl rollout undo</c>, which sends the revision's data back as a strategic merge patch, replaces the
/// DaemonSet's whole template instead of merging into it.
/// </summary>
public sealed partial class ControllerRevisionTemplate
{
    public const string ReplaceDirective = "replace";

    public static ControllerRevisionTemplate Replacing(PodTemplateSpec template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new() { Metadata = template.Metadata?.Clone(), Spec = template.Spec?.Clone(), Patch = ReplaceDirective };
    }

    /// <summary>The pod template alone.</summary>
    public PodTemplateSpec ToPodTemplate() => new() { Metadata = Metadata?.Clone(), Spec = Spec?.Clone() };
}
