package panthertest

import (
	"regexp"
	"sort"
	"strings"
)

// listPageSize is the page size of lists whose input has no pageSize
// (sources, cloudAccounts).
const listPageSize = 25

var (
	awsAccountID = regexp.MustCompile(`^\d{12}$`)
	roleARN      = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/.+$`)
	bucketName   = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
)

func (s *store) sourceMap(src *logSource) map[string]any {
	prefixes := make([]any, 0, len(src.PrefixLogTypes))
	for _, p := range src.PrefixLogTypes {
		prefixes = append(prefixes, map[string]any{"prefix": p.Prefix, "logTypes": strList(p.LogTypes), "excludedPrefixes": strList(p.Excluded)})
	}
	var opts any
	if src.LogStreamType == "JsonArray" {
		opts = map[string]any{"jsonArrayEnvelopeField": strOrNil(src.JSONArrayEnvelopeField)}
	}
	var prefix any
	if len(src.PrefixLogTypes) > 0 {
		prefix = src.PrefixLogTypes[0].Prefix
	}
	return map[string]any{
		"__typename":                 "S3LogIntegration",
		"integrationId":              src.ID,
		"integrationLabel":           src.Label,
		"integrationType":            "aws-s3",
		"awsAccountId":               src.AWSAccountID,
		"s3Bucket":                   src.S3Bucket,
		"s3Prefix":                   prefix,
		"s3PrefixLogTypes":           prefixes,
		"kmsKey":                     strOrNil(src.KMSKey),
		"logProcessingRole":          src.LogProcessingRole,
		"logStreamType":              src.LogStreamType,
		"logStreamTypeOptions":       opts,
		"logTypes":                   strList(src.logTypes()),
		"managedBucketNotifications": src.ManagedBucketNotifications,
		"stackName":                  "panther",
		"isEditable":                 true,
		"isHealthy":                  src.Healthy,
		"createdAtTime":              src.CreatedAt,
		"createdBy":                  s.actor(src.CreatedBy, actorDepth),
		"lastModified":               timeOrNil(src.LastModified),
		"lastEventReceivedAtTime":    timeOrNil(src.LastEventReceived),
		"lastEventProcessedAtTime":   timeOrNil(src.LastEventReceived),
	}
}

func (s *store) source(in args) (any, error) {
	id := in.str("id")
	src, ok := s.sources[id]
	if !ok {
		return s.lookupNotFound("source %s not found", id)
	}
	return s.sourceMap(src), nil
}

func (s *store) sourcesQuery(in args) (any, error) {
	in = in.input("input")
	list := make([]*logSource, 0, len(s.sources))
	for _, src := range s.sources {
		list = append(list, src)
	}
	sort.Slice(list, func(i, j int) bool {
		if !list[i].CreatedAt.Equal(list[j].CreatedAt) {
			return list[i].CreatedAt.Before(list[j].CreatedAt)
		}
		return list[i].ID < list[j].ID
	})
	items, info, err := page("sources", list, in, listPageSize)
	if err != nil {
		return nil, err
	}
	return map[string]any{"edges": edges(items, func(x *logSource) any { return s.sourceMap(x) }), "pageInfo": info}, nil
}

// knownLogType reports whether lt names a seeded log type or an existing,
// non-archived custom schema.
func (s *store) knownLogType(lt string) bool {
	if logTypeByName(lt) != nil {
		return true
	}
	sc, ok := s.schemas[lt]
	return ok && !sc.IsArchived
}

// s3Fields validates and applies the fields createS3Source and
// updateS3Source share.
func (s *store) s3Fields(in args, src *logSource) error {
	label := strings.TrimSpace(in.str("label"))
	if label == "" {
		return invalidInput("label must not be empty")
	}
	for _, other := range s.sources {
		if other.ID != src.ID && strings.EqualFold(other.Label, label) {
			return alreadyExists("a log source labelled %q already exists", label)
		}
	}
	role := in.str("logProcessingRole")
	if !roleARN.MatchString(role) {
		return invalidInput("logProcessingRole %q is not an IAM role ARN", role)
	}
	prefixes := in.objects("s3PrefixLogTypes")
	if len(prefixes) == 0 {
		return invalidInput("s3PrefixLogTypes must map at least one prefix to log types")
	}
	var mapped []prefixLogTypes
	for _, p := range prefixes {
		lts := p.strs("logTypes")
		if len(lts) == 0 {
			return invalidInput("prefix %q must have at least one log type", p.str("prefix"))
		}
		for _, lt := range lts {
			if !s.knownLogType(lt) {
				return invalidInput("unknown log type %q", lt)
			}
		}
		mapped = append(mapped, prefixLogTypes{Prefix: p.str("prefix"), LogTypes: lts, Excluded: p.strs("excludedPrefixes")})
	}
	src.Label = label
	src.LogProcessingRole = role
	src.LogStreamType = in.str("logStreamType")
	src.ManagedBucketNotifications = in.boolean("managedBucketNotifications")
	src.PrefixLogTypes = mapped
	src.KMSKey = nil
	if k, ok := in.optStr("kmsKey"); ok && k != "" {
		src.KMSKey = &k
	}
	src.JSONArrayEnvelopeField = nil
	if f, ok := in.input("logStreamTypeOptions").optStr("jsonArrayEnvelopeField"); ok {
		src.JSONArrayEnvelopeField = &f
	}
	src.LastModified = s.clock()
	return nil
}

func (s *store) createS3Source(in args) (any, error) {
	in = in.input("input")
	acct, bucket := in.str("awsAccountId"), in.str("s3Bucket")
	if !awsAccountID.MatchString(acct) {
		return nil, invalidInput("awsAccountId %q must be 12 digits", acct)
	}
	if !bucketName.MatchString(bucket) {
		return nil, invalidInput("s3Bucket %q is not a valid S3 bucket name", bucket)
	}
	src := &logSource{ID: s.uuid(), AWSAccountID: acct, S3Bucket: bucket, CreatedAt: s.clock(), Healthy: true, CreatedBy: s.token.ID}
	if err := s.s3Fields(in, src); err != nil {
		return nil, err
	}
	s.sources[src.ID] = src
	return map[string]any{"logSource": s.sourceMap(src)}, nil
}

func (s *store) updateS3Source(in args) (any, error) {
	in = in.input("input")
	id := in.str("id")
	src, ok := s.sources[id]
	if !ok {
		return nil, notFound("source %s not found", id)
	}
	next := *src
	if err := s.s3Fields(in, &next); err != nil {
		return nil, err
	}
	*src = next
	return map[string]any{"logSource": s.sourceMap(src)}, nil
}

func (s *store) deleteSource(in args) (any, error) {
	id := in.input("input").str("id")
	if _, ok := s.sources[id]; !ok {
		return nil, notFound("source %s not found", id)
	}
	delete(s.sources, id)
	return map[string]any{"id": id}, nil
}

func (s *store) cloudAccountMap(c *cloudAccount) map[string]any {
	return map[string]any{
		"id":                        c.ID,
		"awsAccountId":              c.AWSAccountID,
		"label":                     c.Label,
		"awsStackName":              "panther-cloudsec-setup",
		"awsScanConfig":             map[string]any{"auditRole": c.AuditRole},
		"awsRegionIgnoreList":       strList(c.RegionIgnoreList),
		"resourceRegexIgnoreList":   strList(c.ResourceRegexIgnore),
		"resourceTypeIgnoreList":    strList(c.ResourceTypeIgnore),
		"isEditable":                true,
		"isRealtimeScanningEnabled": false,
		"createdAt":                 c.CreatedAt,
		"createdBy":                 s.actor(c.CreatedBy, actorDepth),
		"lastModifiedAt":            timeOrNil(c.LastModified),
	}
}

func (s *store) cloudAccount(in args) (any, error) {
	id := in.str("id")
	c, ok := s.cloudAccounts[id]
	if !ok {
		return s.lookupNotFound("cloud account %s not found", id)
	}
	return s.cloudAccountMap(c), nil
}

func (s *store) cloudAccountsQuery(in args) (any, error) {
	in = in.input("input")
	list := make([]*cloudAccount, 0, len(s.cloudAccounts))
	for _, c := range s.cloudAccounts {
		list = append(list, c)
	}
	sort.Slice(list, func(i, j int) bool {
		if !list[i].CreatedAt.Equal(list[j].CreatedAt) {
			return list[i].CreatedAt.Before(list[j].CreatedAt)
		}
		return list[i].ID < list[j].ID
	})
	items, info, err := page("cloudAccounts", list, in, listPageSize)
	if err != nil {
		return nil, err
	}
	return map[string]any{"edges": edges(items, func(c *cloudAccount) any { return s.cloudAccountMap(c) }), "pageInfo": info}, nil
}

// cloudAccountFields validates and applies the fields createCloudAccount and
// updateCloudAccount share. An absent or null ignore list leaves the
// current one unchanged.
func (s *store) cloudAccountFields(in args, c *cloudAccount) error {
	label := strings.TrimSpace(in.str("label"))
	if label == "" {
		return invalidInput("label must not be empty")
	}
	role := in.input("awsScanConfig").str("auditRole")
	if !roleARN.MatchString(role) {
		return invalidInput("awsScanConfig.auditRole %q is not an IAM role ARN", role)
	}
	for _, re := range in.strs("resourceRegexIgnoreList") {
		if _, err := regexp.Compile(re); err != nil {
			return invalidInput("resourceRegexIgnoreList: %q is not a valid regular expression", re)
		}
	}
	c.Label, c.AuditRole = label, role
	if in.has("awsRegionIgnoreList") && !in.isNull("awsRegionIgnoreList") {
		c.RegionIgnoreList = in.strs("awsRegionIgnoreList")
	}
	if in.has("resourceRegexIgnoreList") && !in.isNull("resourceRegexIgnoreList") {
		c.ResourceRegexIgnore = in.strs("resourceRegexIgnoreList")
	}
	if in.has("resourceTypeIgnoreList") && !in.isNull("resourceTypeIgnoreList") {
		c.ResourceTypeIgnore = in.strs("resourceTypeIgnoreList")
	}
	c.LastModified = s.clock()
	return nil
}

func (s *store) createCloudAccount(in args) (any, error) {
	in = in.input("input")
	acct := in.str("awsAccountId")
	if !awsAccountID.MatchString(acct) {
		return nil, invalidInput("awsAccountId %q must be 12 digits", acct)
	}
	for _, c := range s.cloudAccounts {
		if c.AWSAccountID == acct {
			return nil, alreadyExists("AWS account %s is already onboarded as cloud account %s", acct, c.ID)
		}
	}
	c := &cloudAccount{ID: s.uuid(), AWSAccountID: acct, CreatedAt: s.clock(), CreatedBy: s.token.ID,
		RegionIgnoreList: []string{}, ResourceRegexIgnore: []string{}, ResourceTypeIgnore: []string{}}
	if err := s.cloudAccountFields(in, c); err != nil {
		return nil, err
	}
	s.cloudAccounts[c.ID] = c
	return map[string]any{"cloudAccount": s.cloudAccountMap(c)}, nil
}

func (s *store) updateCloudAccount(in args) (any, error) {
	in = in.input("input")
	id := in.str("id")
	c, ok := s.cloudAccounts[id]
	if !ok {
		return nil, notFound("cloud account %s not found", id)
	}
	next := *c
	if err := s.cloudAccountFields(in, &next); err != nil {
		return nil, err
	}
	*c = next
	return map[string]any{"cloudAccount": s.cloudAccountMap(c)}, nil
}

func (s *store) deleteCloudAccount(in args) (any, error) {
	id := in.input("input").str("id")
	if _, ok := s.cloudAccounts[id]; !ok {
		return nil, notFound("cloud account %s not found", id)
	}
	delete(s.cloudAccounts, id)
	return map[string]any{"id": id}, nil
}
