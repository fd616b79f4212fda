variable "environment" {
  type        = string
  description = "Deployment environment, used in names and tags."
  default     = "prod"
}

variable "vpc_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

variable "office_cidrs" {
  type        = list(string)
  description = "Office egress addresses allowed to reach the bastion."
}

variable "public_ports" {
  type    = list(number)
  default = [80, 443]
}

variable "cache_services" {
  type = map(number)
  default = {
    redis     = 6379
    memcached = 11211
  }
}
