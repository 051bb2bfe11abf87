// Schema validation of built-in Kubernetes (and Knative Serving) objects with
// the validators kubernetes-models compiles from the OpenAPI spec.
//
// HEAVY: this pulls in megabytes of compiled schema code. Only
// validateKubernetes.ts may load it, lazily with require(), so the bundler
// keeps it in its own chunk and opening a Compose file never pays for it.

import {
  Service as KnativeService,
  Configuration as KnativeConfiguration,
  Route as KnativeRoute,
  Revision as KnativeRevision,
} from '@kubernetes-models/knative/serving.knative.dev/v1';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler as HorizontalPodAutoscalerV1 } from 'kubernetes-models/autoscaling/v1/HorizontalPodAutoscaler';
import { HorizontalPodAutoscaler as HorizontalPodAutoscalerV2 } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { IngressClass } from 'kubernetes-models/networking.k8s.io/v1/IngressClass';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Endpoints } from 'kubernetes-models/v1/Endpoints';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolume } from 'kubernetes-models/v1/PersistentVolume';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PathFinding } from '../types';
import { recordReads } from './knownKeys';
import { type SchemaError, schemaFindings, unknownKeyFindings } from './schemaFindings';

/** A kubernetes-models class: its type meta and the validate() its compiled schema backs. */
interface ModelClass {
  apiVersion: string;
  kind: string;
  prototype: { validate(): void };
}

const MODELS: readonly ModelClass[] = [
  Pod, Service, ConfigMap, Secret, Namespace, PersistentVolumeClaim, PersistentVolume, ServiceAccount, LimitRange, ResourceQuota, Endpoints,
  Deployment, StatefulSet, DaemonSet, ReplicaSet,
  Job, CronJob,
  Ingress, NetworkPolicy, IngressClass,
  Role, RoleBinding, ClusterRole, ClusterRoleBinding,
  HorizontalPodAutoscalerV1, HorizontalPodAutoscalerV2,
  PodDisruptionBudget,
  StorageClass,
  KnativeService, KnativeConfiguration, KnativeRoute, KnativeRevision,
];

const byType = new Map(MODELS.map((model) => [`${model.apiVersion}|${model.kind}`, model]));

/** The ajv errors, or [] when valid. validate() throws ajv's ValidationError, which carries them. */
function runValidator(model: ModelClass, data: object): SchemaError[] {
  try {
    // Called on the plain document: constructing the model would copy it (and defeat the read recorder).
    model.prototype.validate.call(data);
    return [];
  } catch (e) {
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) return errors as SchemaError[];
    throw e;
  }
}

/**
 * Findings (code K8S001) for a built-in object against its OpenAPI schema;
 * undefined when we have no schema for its apiVersion and kind (custom resources).
 */
export function validateAgainstOpenApi(doc: { apiVersion: string; kind: string }): PathFinding[] | undefined {
  const model = byType.get(`${doc.apiVersion}|${doc.kind}`);
  if (!model) return undefined;
  const recorder = recordReads(doc);
  const errors = runValidator(model, recorder.proxy);
  return [...schemaFindings(errors, doc, recorder.knownKeys), ...unknownKeyFindings(recorder.unknownKeys(), doc)];
}
