using System.Globalization;
using HostDaemons.Model.Labels;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>Kubernetes' DaemonSet validation (apps/validation), run after defaults.</summary>
public static class DaemonSetValidator
{
    private static readonly string[] s_strategies = ["OnDelete", "RollingUpdate"];
    public static ValidationErrors Validate(DaemonSet ds)
    {
        var errors = new ValidationErrors();
        ObjectMetaValidator.Validate(ds.Metadata, namespaced: true, "metadata", errors);
        var spec = ds.Spec;
        if (spec is null)
        {
            errors.Required("spec");
            return errors;
        }

        ValidateSelector(spec.Selector, "spec.selector", errors);
        var template = spec.Template;
        if (template is null)
        {
            errors.Required("spec.template");
        }
        else
        {
            var labels = template.Metadata?.Labels ?? new Google.Protobuf.Collections.MapField<string, string>();
            if (template.Metadata is not null)
            {
                NameValidation.ValidateLabels(template.Metadata.Labels, "spec.template.metadata.labels", errors);
                NameValidation.ValidateAnnotationKeys(template.Metadata.Annotations, "spec.template.metadata.annotations", errors);
            }

            if (!LabelSelectors.IsEmpty(spec.Selector) && !LabelSelectors.Matches(spec.Selector, labels))
            {
                errors.Invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`");
            }

            PodSpecValidator.Validate(template.Spec, "spec.template.spec", errors);
            if (template.Spec is { RestartPolicy: var policy } && policy != "Always")
            {
                errors.NotSupported("spec.template.spec.restartPolicy", policy, "Always");
            }

            if (template.Spec?.HasActiveDeadlineSeconds == true)
            {
                errors.Forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in DaemonSet is not Supported");
            }
        }

        if (spec.HasMinReadySeconds && spec.MinReadySeconds < 0)
        {
            errors.Invalid("spec.minReadySeconds", spec.MinReadySeconds, "must be greater than or equal to 0");
        }

        if (spec.HasRevisionHistoryLimit && spec.RevisionHistoryLimit < 0)
        {
            errors.Invalid("spec.revisionHistoryLimit", spec.RevisionHistoryLimit, "must be greater than or equal to 0");
        }

        ValidateStrategy(spec.UpdateStrategy, errors);
        return errors;
    }

    private static void ValidateSelector(LabelSelector? selector, string path, ValidationErrors errors)
    {
        if (selector is null)
        {
            errors.Required(path);
            return;
        }

        if (LabelSelectors.IsEmpty(selector))
        {
            errors.Invalid(path, "{}", "empty selector is invalid for daemonset");
            return;
        }

        LabelSelectorValidator.Validate(selector, path, errors);
    }

    private static void ValidateStrategy(DaemonSetUpdateStrategy? strategy, ValidationErrors errors)
    {
        if (strategy is null)
        {
            return;
        }

        if (!s_strategies.Contains(strategy.Type))
        {
            errors.NotSupported("spec.updateStrategy.type", strategy.Type, s_strategies);
            return;
        }

        if (strategy.Type != "RollingUpdate")
        {
            return;
        }

        var rolling = strategy.RollingUpdate;
        var unavailable = CheckIntOrPercent(rolling?.MaxUnavailable, "spec.updateStrategy.rollingUpdate.maxUnavailable", errors);
        var surge = CheckIntOrPercent(rolling?.MaxSurge, "spec.updateStrategy.rollingUpdate.maxSurge", errors);
        if (unavailable is null || surge is null)
        {
            return;
        }

        if (unavailable == 0 && surge == 0)
        {
            errors.Required("spec.updateStrategy.rollingUpdate.maxUnavailable", "cannot be 0 when maxSurge is 0");
        }
        else if (unavailable != 0 && surge != 0)
        {
            errors.Invalid("spec.updateStrategy.rollingUpdate.maxSurge", Describe(rolling?.MaxSurge), "may not be set when maxUnavailable is non-zero");
        }
    }

    /// <summary>The value as an integer or a percentage (both ≥ 0, percentages ≤ 100), or null after adding an error.</summary>
    private static int? CheckIntOrPercent(IntOrString? value, string path, ValidationErrors errors)
    {
        if (value is null)
        {
            return 0;
        }

        if (value.ValueCase == IntOrString.ValueOneofCase.IntValue)
        {
            if (value.IntValue < 0)
            {
                errors.Invalid(path, value.IntValue, "must be greater than or equal to 0");
                return null;
            }

            return value.IntValue;
        }

        var text = value.StringValue;
        if (!text.EndsWith('%') || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
        {
            errors.Invalid(path, text, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
            return null;
        }

        if (percent > 100)
        {
            errors.Invalid(path, text, "must not be greater than 100%");
            return null;
        }

        return percent;
    }

    private static object Describe(IntOrString? value) =>
        value is null ? 0 : value.ValueCase == IntOrString.ValueOneofCase.IntValue ? value.IntValue : value.StringValue;
}
