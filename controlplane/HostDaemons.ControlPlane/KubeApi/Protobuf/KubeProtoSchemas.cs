using System.Collections.Frozen;

namespace HostDaemons.ControlPlane.KubeApi.Protobuf;

/// <summary>
/// The messages of Kubernetes' <c>generated.proto</c> files (k8s.io/api, k8s.io/apimachinery) for the kinds kubectl's typed
/// clients send or ask for as protobuf, with their field numbers; fields HostDaemons does not serve are left out (they are
/// skipped when read, and an answer holding one is written as JSON).
/// </summary>
internal static class KubeProtoSchemas
{
    private static ProtoField S(int number, string name) => new(number, name, ProtoType.String);

    private static ProtoField Strings(int number, string name) => new(number, name, ProtoType.String, Repeated: true);

    private static ProtoField B(int number, string name) => new(number, name, ProtoType.Bool);

    private static ProtoField I64(int number, string name) => new(number, name, ProtoType.Int64);

    private static ProtoField I32(int number, string name) => new(number, name, ProtoType.Int32);

    private static ProtoField T(int number, string name) => new(number, name, ProtoType.Time);

    private static ProtoField M(int number, string name, ProtoMessage message) => new(number, name, ProtoType.Message, Message: message);

    private static ProtoField Ms(int number, string name, ProtoMessage message) => new(number, name, ProtoType.Message, Repeated: true, Message: message);

    private static ProtoField Labels(int number, string name) => new(number, name, ProtoType.StringMap);

    public static readonly ProtoMessage TypeMeta = new("TypeMeta", S(1, "apiVersion"), S(2, "kind"));

    /// <summary><c>runtime.Unknown</c>: the envelope after the <c>k8s\0</c> magic.</summary>
    public static readonly ProtoMessage Unknown = new("Unknown",
        M(1, "typeMeta", TypeMeta), new(2, "raw", ProtoType.Bytes), S(3, "contentEncoding"), S(4, "contentType"));

    private static readonly ProtoMessage OwnerReference = new("OwnerReference",
        S(1, "kind"), S(3, "name"), S(4, "uid"), S(5, "apiVersion"), B(6, "controller"), B(7, "blockOwnerDeletion"));

    private static readonly ProtoMessage ManagedFieldsEntry = new("ManagedFieldsEntry",
        S(1, "manager"), S(2, "operation"), S(3, "apiVersion"), T(4, "time"), S(6, "fieldsType"), new(7, "fieldsV1", ProtoType.RawJson), S(8, "subresource"));

    public static readonly ProtoMessage ObjectMeta = new("ObjectMeta",
        S(1, "name"), S(2, "generateName"), S(3, "namespace"), S(4, "selfLink"), S(5, "uid"), S(6, "resourceVersion"), I64(7, "generation"),
        T(8, "creationTimestamp"), T(9, "deletionTimestamp"), I64(10, "deletionGracePeriodSeconds"), Labels(11, "labels"), Labels(12, "annotations"),
        Ms(13, "ownerReferences", OwnerReference), Strings(14, "finalizers"), Ms(17, "managedFields", ManagedFieldsEntry));

    private static readonly ProtoMessage ListMeta = new("ListMeta", S(1, "selfLink"), S(2, "resourceVersion"), S(3, "continue"), I64(4, "remainingItemCount"));

    private static readonly ProtoMessage LabelSelectorRequirement = new("LabelSelectorRequirement", S(1, "key"), S(2, "operator"), Strings(3, "values"));

    private static readonly ProtoMessage LabelSelector = new("LabelSelector", Labels(1, "matchLabels"), Ms(2, "matchExpressions", LabelSelectorRequirement));

    private static readonly ProtoMessage Secret = new("Secret",
        M(1, "metadata", ObjectMeta), new(2, "data", ProtoType.BytesMap), S(3, "type"), Labels(4, "stringData"), B(5, "immutable"));

    private static readonly ProtoMessage ConfigMap = new("ConfigMap",
        M(1, "metadata", ObjectMeta), Labels(2, "data"), new(3, "binaryData", ProtoType.BytesMap), B(4, "immutable"));

    private static readonly ProtoMessage NamespaceCondition = new("NamespaceCondition",
        S(1, "type"), S(2, "status"), T(4, "lastTransitionTime"), S(5, "reason"), S(6, "message"));

    private static readonly ProtoMessage Namespace = new("Namespace",
        M(1, "metadata", ObjectMeta),
        M(2, "spec", new ProtoMessage("NamespaceSpec", Strings(1, "finalizers"))),
        M(3, "status", new ProtoMessage("NamespaceStatus", S(1, "phase"), Ms(2, "conditions", NamespaceCondition))));

    private static readonly ProtoMessage ObjectReference = new("ObjectReference",
        S(1, "kind"), S(2, "namespace"), S(3, "name"), S(4, "uid"), S(5, "apiVersion"), S(6, "resourceVersion"), S(7, "fieldPath"));

    private static readonly ProtoMessage ServiceAccount = new("ServiceAccount",
        M(1, "metadata", ObjectMeta), Ms(2, "secrets", ObjectReference),
        Ms(3, "imagePullSecrets", new ProtoMessage("LocalObjectReference", S(1, "name"))), B(4, "automountServiceAccountToken"));

    private static readonly ProtoMessage Service = new("Service",
        M(1, "metadata", ObjectMeta),
        M(2, "spec", new ProtoMessage("ServiceSpec",
            Ms(1, "ports", new ProtoMessage("ServicePort",
                S(1, "name"), S(2, "protocol"), I32(3, "port"), new(4, "targetPort", ProtoType.IntOrString), I32(5, "nodePort"), S(6, "appProtocol"))),
            Labels(2, "selector"), S(3, "clusterIP"), S(4, "type"), Strings(5, "externalIPs"), S(7, "sessionAffinity"), S(10, "externalName"),
            B(13, "publishNotReadyAddresses"), S(17, "ipFamilyPolicy"), Strings(18, "clusterIPs"), Strings(19, "ipFamilies"), S(22, "internalTrafficPolicy"))),
        M(3, "status", new ProtoMessage("ServiceStatus", M(1, "loadBalancer", new ProtoMessage("LoadBalancerStatus")))));

    private static readonly ProtoMessage PolicyRule = new("PolicyRule",
        Strings(1, "verbs"), Strings(2, "apiGroups"), Strings(3, "resources"), Strings(4, "resourceNames"), Strings(5, "nonResourceURLs"));

    private static readonly ProtoMessage Role = new("Role", M(1, "metadata", ObjectMeta), Ms(2, "rules", PolicyRule));

    private static readonly ProtoMessage ClusterRole = new("ClusterRole",
        M(1, "metadata", ObjectMeta), Ms(2, "rules", PolicyRule),
        M(3, "aggregationRule", new ProtoMessage("AggregationRule", Ms(1, "clusterRoleSelectors", LabelSelector))));

    private static readonly ProtoMessage Subject = new("Subject", S(1, "kind"), S(2, "apiGroup"), S(3, "name"), S(4, "namespace"));

    private static readonly ProtoMessage RoleRef = new("RoleRef", S(1, "apiGroup"), S(2, "kind"), S(3, "name"));

    private static readonly ProtoMessage RoleBinding = new("RoleBinding", M(1, "metadata", ObjectMeta), Ms(2, "subjects", Subject), M(3, "roleRef", RoleRef));

    private static readonly ProtoMessage PriorityClass = new("PriorityClass",
        M(1, "metadata", ObjectMeta), I32(2, "value"), B(3, "globalDefault"), S(4, "description"), S(5, "preemptionPolicy"));

    private static readonly ProtoMessage SubjectAccessReviewStatus = new("SubjectAccessReviewStatus",
        B(1, "allowed"), S(2, "reason"), S(3, "evaluationError"), B(4, "denied"));

    private static readonly ProtoMessage SelfSubjectAccessReview = new("SelfSubjectAccessReview",
        M(1, "metadata", ObjectMeta),
        M(2, "spec", new ProtoMessage("SelfSubjectAccessReviewSpec",
            M(1, "resourceAttributes", new ProtoMessage("ResourceAttributes",
                S(1, "namespace"), S(2, "verb"), S(3, "group"), S(4, "version"), S(5, "resource"), S(6, "subresource"), S(7, "name"))),
            M(2, "nonResourceAttributes", new ProtoMessage("NonResourceAttributes", S(1, "path"), S(2, "verb"))))),
        M(3, "status", SubjectAccessReviewStatus));

    private static readonly ProtoMessage SelfSubjectRulesReview = new("SelfSubjectRulesReview",
        M(1, "metadata", ObjectMeta),
        M(2, "spec", new ProtoMessage("SelfSubjectRulesReviewSpec", S(1, "namespace"))),
        M(3, "status", new ProtoMessage("SubjectRulesReviewStatus",
            Ms(1, "resourceRules", new ProtoMessage("ResourceRule", Strings(1, "verbs"), Strings(2, "apiGroups"), Strings(3, "resources"), Strings(4, "resourceNames"))),
            Ms(2, "nonResourceRules", new ProtoMessage("NonResourceRule", Strings(1, "verbs"), Strings(2, "nonResourceURLs"))),
            B(3, "incomplete"), S(4, "evaluationError"))));

    private static readonly ProtoMessage SelfSubjectReview = new("SelfSubjectReview",
        M(1, "metadata", ObjectMeta),
        M(2, "status", new ProtoMessage("SelfSubjectReviewStatus",
            M(1, "userInfo", new ProtoMessage("UserInfo", S(1, "username"), S(2, "uid"), Strings(3, "groups"))))));

    private static readonly ProtoMessage TokenRequest = new("TokenRequest",
        M(1, "metadata", ObjectMeta),
        M(2, "spec", new ProtoMessage("TokenRequestSpec",
            Strings(1, "audiences"),
            M(3, "boundObjectRef", new ProtoMessage("BoundObjectReference", S(1, "kind"), S(2, "apiVersion"), S(3, "name"), S(4, "uid"))),
            I64(4, "expirationSeconds"))),
        M(3, "status", new ProtoMessage("TokenRequestStatus", S(1, "token"), T(2, "expirationTimestamp"))));

    private static readonly ProtoMessage DeleteOptions = new("DeleteOptions",
        I64(1, "gracePeriodSeconds"),
        M(2, "preconditions", new ProtoMessage("Preconditions", S(1, "uid"), S(2, "resourceVersion"))),
        B(3, "orphanDependents"), S(4, "propagationPolicy"), Strings(5, "dryRun"));

    private static readonly ProtoMessage Eviction = new("Eviction", M(1, "metadata", ObjectMeta), M(2, "deleteOptions", DeleteOptions));

    private static readonly ProtoMessage Status = new("Status",
        M(1, "metadata", ListMeta), S(2, "status"), S(3, "message"), S(4, "reason"),
        M(5, "details", new ProtoMessage("StatusDetails",
            S(1, "name"), S(2, "group"), S(3, "kind"),
            Ms(4, "causes", new ProtoMessage("StatusCause", S(1, "reason"), S(2, "message"), S(3, "field"))),
            I32(5, "retryAfterSeconds"), S(6, "uid"))),
        I32(6, "code"));

    /// <summary>The kinds read and written as protobuf, by <c>apiVersion</c> and <c>kind</c>.</summary>
    public static readonly FrozenDictionary<(string ApiVersion, string Kind), ProtoMessage> Kinds = new Dictionary<(string, string), ProtoMessage>
    {
        [("v1", "Secret")] = Secret,
        [("v1", "ConfigMap")] = ConfigMap,
        [("v1", "Namespace")] = Namespace,
        [("v1", "ServiceAccount")] = ServiceAccount,
        [("v1", "Service")] = Service,
        [("v1", "Status")] = Status,
        [("v1", "DeleteOptions")] = DeleteOptions,
        [("meta.k8s.io/v1", "DeleteOptions")] = DeleteOptions,
        [("rbac.authorization.k8s.io/v1", "Role")] = Role,
        [("rbac.authorization.k8s.io/v1", "ClusterRole")] = ClusterRole,
        [("rbac.authorization.k8s.io/v1", "RoleBinding")] = RoleBinding,
        [("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")] = RoleBinding,
        [("scheduling.k8s.io/v1", "PriorityClass")] = PriorityClass,
        [("authorization.k8s.io/v1", "SelfSubjectAccessReview")] = SelfSubjectAccessReview,
        [("authorization.k8s.io/v1", "SelfSubjectRulesReview")] = SelfSubjectRulesReview,
        [("authentication.k8s.io/v1", "SelfSubjectReview")] = SelfSubjectReview,
        [("authentication.k8s.io/v1", "TokenRequest")] = TokenRequest,
        [("policy/v1", "Eviction")] = Eviction,
    }.ToFrozenDictionary();
}
