{{- define "flowrecon.labels" -}}
app.kubernetes.io/part-of: flowrecon
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "flowrecon.secretName" -}}
{{- if .Values.database.existingSecret -}}{{ .Values.database.existingSecret }}{{- else -}}{{ .Release.Name }}-db{{- end -}}
{{- end -}}

{{/* Pod annotations: scraping, and hashes of the configuration so that a change rolls the pods. */}}
{{- define "flowrecon.podAnnotations" -}}
{{ toYaml .Values.podAnnotations }}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
checksum/jwt: {{ include (print .Template.BasePath "/jwt-configmap.yaml") . | sha256sum }}
{{- end -}}

{{/* The writable /tmp of a read-only root filesystem. */}}
{{- define "flowrecon.tmpVolume" -}}
- name: tmp
  emptyDir: {sizeLimit: {{ .Values.tmpVolume.sizeLimit }}}
{{- end -}}

{{- define "flowrecon.tmpMount" -}}
- {name: tmp, mountPath: /tmp}
{{- end -}}

{{/* host, port and database of database.url (jdbc:postgresql://host[:port]/database[?...]), for KEDA. */}}
{{- define "flowrecon.jdbcPattern" -}}^jdbc:postgresql://([^/:?]+)(:([0-9]+))?/([^?]+)(\?.*)?${{- end -}}

{{- define "flowrecon.dbPart" -}}
{{- $url := .root.Values.database.url -}}
{{- $pattern := include "flowrecon.jdbcPattern" .root -}}
{{- if not (regexMatch $pattern $url) -}}
{{- fail (printf "database.url must look like jdbc:postgresql://host[:port]/database, was %q; or set worker.autoscaling.postgresql.host, port and dbName" $url) -}}
{{- end -}}
{{- regexReplaceAll $pattern $url .group -}}
{{- end -}}

{{/* KEDA's operator runs in its own namespace: a bare service name is qualified with the release's. */}}
{{- define "flowrecon.dbHost" -}}
{{- with .Values.worker.autoscaling.postgresql.host }}{{ . }}{{ else -}}
{{- $host := include "flowrecon.dbPart" (dict "root" $ "group" "${1}") -}}
{{- if contains "." $host }}{{ $host }}{{ else }}{{ $host }}.{{ $.Release.Namespace }}.svc{{ end -}}
{{- end -}}
{{- end -}}

{{- define "flowrecon.dbPort" -}}
{{- with .Values.worker.autoscaling.postgresql.port }}{{ . }}{{ else }}{{ include "flowrecon.dbPart" (dict "root" $ "group" "${3}") | default "5432" }}{{ end -}}
{{- end -}}

{{- define "flowrecon.dbName" -}}
{{- with .Values.worker.autoscaling.postgresql.dbName }}{{ . }}{{ else }}{{ include "flowrecon.dbPart" (dict "root" $ "group" "${4}") }}{{ end -}}
{{- end -}}

{{/* envFrom entries every flowrecon container shares: the configuration, and the object store's credentials. */}}
{{- define "flowrecon.envFrom" -}}
- configMapRef: {name: {{ .Release.Name }}-config}
{{- if and (eq .Values.bundleStore.kind "s3") .Values.bundleStore.s3.credentialsSecret }}
- secretRef: {name: {{ .Values.bundleStore.s3.credentialsSecret }}}
{{- end }}
{{- end -}}
