// Chinese names for labels, relation types, kinds and audit actions; unknown keys show as they are.

export const LABELS = {
  ORGANISATION: "机构",
  PERSON: "人物",
  PLACE: "地点",
  POLICY: "政策",
  EVENT: "事件",
  ARTICLE: "文章",
};

export const LABEL_ORDER = ["ORGANISATION", "PERSON", "PLACE", "EVENT", "POLICY", "ARTICLE"];

export const RELATION_TYPES = {
  GUIDED_BY: "受指导于",
  DONATED_TO: "捐赠给",
  ELECTED_PRESIDENT: "当选会长",
  ELECTED_TO: "当选职务",
  HOLDS_POSITION: "任职于",
  ORGANISED_BY: "主办/承办方",
  HELD_IN: "举办地",
  LOCATED_IN: "位于",
  PART_OF: "隶属于",
  ISSUED_BY: "发布机关",
  PARTICIPATED_IN: "参与",
  FOUNDED_AT: "成立于",
  PARTNERED_WITH: "合作",
  MENTIONS: "提及",
  REPORTED_BY: "报道媒体",
};

/** Relation types an editor may add or filter on (the article bookkeeping ones left out). */
export const ENTITY_RELATION_TYPES = Object.keys(RELATION_TYPES).filter(
  (t) => t !== "MENTIONS" && t !== "REPORTED_BY",
);

export const KINDS = {
  government: "政府部门",
  association: "社会组织",
  party: "党组织",
  university: "高校",
  media: "媒体",
  service: "服务机构",
  other: "其他",
  country: "国家",
  province: "省级",
  city: "市级",
  district: "区县",
  county: "县",
  street: "街道",
  community: "社区",
  site: "场所",
  document: "文件",
  programme: "项目",
  meeting: "会议",
  ceremony: "仪式",
  campaign: "活动",
  launch: "启动",
  day: "纪念日",
  training: "培训",
  contest: "比赛",
};

export const ACTIONS = {
  add_relation: "添加关系",
  retract: "撤回关系",
  accept: "审核通过",
  add_alias: "添加别名",
  merge: "合并实体",
  unmerge: "撤销合并",
  import: "导入",
};

export const label = (key) => LABELS[key] || key || "";
export const relationType = (key) => RELATION_TYPES[key] || key || "";
export const kind = (key) => (key ? KINDS[key] || key : "");
export const action = (key) => ACTIONS[key] || key || "";

/** Node colours by label, shared by the graph and the badges. */
export const COLOURS = {
  ORGANISATION: "#2f6fb2",
  PERSON: "#c0562b",
  PLACE: "#3d8b4f",
  POLICY: "#7b5aa6",
  EVENT: "#c49a16",
  ARTICLE: "#777777",
};
