{{- define "flowrecon.labels" -}}
app.kubernetes.io/part-of: flowrecon
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "flowrecon.secretName" -}}
{{- if .Values.database.existingSecret -}}{{ .Values.database.existingSecret }}{{- else -}}{{ .Release.Name }}-db{{- end -}}
{{- end -}}
