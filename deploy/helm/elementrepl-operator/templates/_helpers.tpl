{{/* Hand-written. Labels the chart adds to every object (on top of the kustomize ones). */}}
{{- define "elementrepl-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{- define "elementrepl-operator.selector" -}}
app.kubernetes.io/name: element-replication-operator
app.kubernetes.io/component: operator
{{- end }}
