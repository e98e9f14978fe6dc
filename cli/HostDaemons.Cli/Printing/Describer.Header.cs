using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>The lines most of kubectl's describers start with.</summary>
internal sealed partial class Describer
{
    /// <summary>A writer holding <c>Name:</c>, <c>Namespace:</c> (for namespaced objects), <c>Labels:</c> and <c>Annotations:</c>.</summary>
    private static DescribeWriter Header(ObjectMeta? meta, bool withNamespace = true)
    {
        var w = new DescribeWriter();
        meta ??= new ObjectMeta();
        w.Write(0, $"Name:\t{meta.Name}\n");
        if (withNamespace)
        {
            w.Write(0, $"Namespace:\t{meta.Namespace}\n");
        }

        Labels(w, "Labels", meta.Labels);
        Annotations(w, "Annotations", meta.Annotations);
        return w;
    }
}
