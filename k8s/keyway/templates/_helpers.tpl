{{/* The release's full name, at most 63 characters. */}}
{{- define "keyway.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The service's Kubernetes name: sso-service, scim-service, import-service, admin-portal. */}}
{{- define "keyway.serviceName" -}}
{{- if eq . "imports" -}}import-service{{- else if eq . "portal" -}}admin-portal{{- else -}}{{ . }}-service{{- end -}}
{{- end -}}

{{/* Name of one service's objects: <fullname>-<service>. Call with (dict "root" $ "service" "sso"). */}}
{{- define "keyway.componentName" -}}
{{- printf "%s-%s" (include "keyway.fullname" .root | trunc 48 | trimSuffix "-") .service -}}
{{- end -}}

{{- define "keyway.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/part-of: keyway
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
keyway.dev/region: {{ .Values.region }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels that select one service's pods. Call with (dict "root" $ "service" "sso"). */}}
{{- define "keyway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "keyway.serviceName" .service }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* Labels of one service's objects: the release's and the service's name. Call with (dict "root" $ "service" "sso"). */}}
{{- define "keyway.componentLabels" -}}
{{ include "keyway.labels" .root }}
app.kubernetes.io/name: {{ include "keyway.serviceName" .service }}
{{- end -}}

{{- define "keyway.secretName" -}}
{{- default (include "keyway.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "keyway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "keyway.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The host of a URL: https://api-sso.keyway.example → api-sso.keyway.example */}}
{{- define "keyway.host" -}}
{{- (urlParse .).host -}}
{{- end -}}

{{- define "keyway.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.repository (include "keyway.serviceName" .service) (default .root.Chart.AppVersion .root.Values.image.tag) -}}
{{- end -}}
