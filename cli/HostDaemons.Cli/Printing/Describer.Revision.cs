using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>A revision's pod template, as <c>kubectl rollout history --revision</c> and <c>undo --dry-run</c> print it.</summary>
internal sealed partial class Describer
{
    /// <summary>kubectl's printTemplate: DescribePodTemplate through a prefix writer without a tab writer.</summary>
    public string Template(PodTemplateSpec? template)
    {
        var w = new DescribeWriter(aligned: false);
        PodTemplate(w, template);
        return w.ToString();
    }
}
